// GET /api/calendar/freebusy, GET /api/calendar/availability, GET/PUT /api/calendar/working-hours.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { validationError } from "../../../lib/errors";
import { requireUser } from "../../../http/require-user";
import type { AppEnv } from "../../../http/types";
import { jsonBody, queryParams } from "../../../http/validate";
import { checked } from "../events";
import { checkZone, parseWindowEdge } from "../occurrences";
import { overlapErrors, workingHoursInput } from "../input";
import { zoneOf } from "../page-data";
import { availability, freeBusy, MAX_PEOPLE, saveWorkingHours, workingHoursOf } from "./availability";
import type { Interval } from "./intervals";

const userIds = z
  .string()
  .trim()
  .min(1)
  .max(MAX_PEOPLE * 70)
  .transform((text) => [...new Set(text.split(",").map((id) => id.trim()).filter(Boolean))])
  .refine((ids) => ids.length >= 1 && ids.length <= MAX_PEOPLE, `Name between 1 and ${MAX_PEOPLE} people.`)
  .refine((ids) => ids.every((id) => /^[A-Za-z0-9_-]{1,64}$/.test(id)), "Give user ids separated by commas.");

const windowFields = { from: z.string().min(1).max(40), to: z.string().min(1).max(40), timeZone: z.string().max(64).optional(), userIds };
const freebusyQuery = z.object(windowFields);
const availabilityQuery = z.object({
  ...windowFields,
  durationMinutes: z.coerce.number().int().min(5).max(1440),
  stepMinutes: z.coerce.number().int().min(5).max(240).default(15),
});

const iso = (ms: number) => new Date(ms).toISOString();
const intervalJson = (i: Interval) => ({ start: iso(i.startMs), end: iso(i.endMs) });

/** Overlapping periods of one day are a 400 naming the day. */
/** The window's edges: UTC instants, or local dates and times read in `timeZone` (default: the viewer's calendar zone). */
async function windowOf(c: Context<AppEnv>, userId: string, query: { from: string; to: string; timeZone?: string }) {
  const zone = checked(() => checkZone(query.timeZone ?? "UTC"));
  const readIn = query.timeZone ? zone : await zoneOf(c, userId);
  return { from: checked(() => parseWindowEdge(query.from, readIn, "from")), to: checked(() => parseWindowEdge(query.to, readIn, "to")) };
}

export function availabilityApi() {
  return new Hono<AppEnv>()
    .get("/api/calendar/freebusy", queryParams(freebusyQuery), async (c) => {
      const { user } = requireUser(c);
      const deps = c.var.deps;
      const query = c.req.valid("query");
      const { from, to } = await windowOf(c, user.id, query);
      const result = await freeBusy(deps, user.id, { from, to, userIds: query.userIds });
      return c.json({
        from: iso(from),
        to: iso(to),
        users: result.known.map((id) => ({ userId: id, busy: result.busy.get(id)!.map(intervalJson) })),
        unknown: result.unknown,
      });
    })
    .get("/api/calendar/availability", queryParams(availabilityQuery), async (c) => {
      const { user } = requireUser(c);
      const deps = c.var.deps;
      const query = c.req.valid("query");
      const { from, to } = await windowOf(c, user.id, query);
      const result = await availability(deps, user.id, { from, to, userIds: query.userIds, durationMinutes: query.durationMinutes, stepMinutes: query.stepMinutes });
      return c.json({ from: iso(from), to: iso(to), durationMinutes: query.durationMinutes, userIds: result.userIds, free: result.free.map(intervalJson), slots: result.slots.map(intervalJson), truncated: result.truncated });
    })
    .get("/api/calendar/working-hours", async (c) => {
      const { user } = requireUser(c);
      return c.json({ workingHours: (await workingHoursOf(c.var.deps.db, [user.id])).get(user.id) });
    })
    .put("/api/calendar/working-hours", jsonBody(workingHoursInput), async (c) => {
      const { user } = requireUser(c);
      const input = c.req.valid("json");
      if (input.timeZone) checked(() => checkZone(input.timeZone!));
      const overlaps = overlapErrors(input.hours);
      if (Object.keys(overlaps).length) throw validationError(overlaps);
      return c.json({ workingHours: await saveWorkingHours(c.var.deps, user.id, input) });
    });
}
