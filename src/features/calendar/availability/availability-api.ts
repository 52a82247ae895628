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
import { keptView } from "../kept-views";
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

/** The window's edges: UTC instants, or local dates and times read in `timeZone` (default: the viewer's calendar zone). */
async function windowOf(c: Context<AppEnv>, userId: string, query: { from: string; to: string; timeZone?: string }) {
  const zone = checked(() => checkZone(query.timeZone ?? "UTC"));
  const readIn = query.timeZone ? zone : await zoneOf(c, userId);
  return { from: checked(() => parseWindowEdge(query.from, readIn, "from")), to: checked(() => parseWindowEdge(query.to, readIn, "to")) };
}

const JSON_TYPE = { "content-type": "application/json; charset=UTF-8" };

async function freeBusyJson(c: Context<AppEnv>, userId: string, query: z.output<typeof freebusyQuery>): Promise<string> {
  const { from, to } = await windowOf(c, userId, query);
  const result = await freeBusy(c.var.deps, userId, { from, to, userIds: query.userIds });
  return JSON.stringify({
    from: iso(from),
    to: iso(to),
    users: result.known.map((id) => ({ userId: id, busy: result.busy.get(id)!.map(intervalJson) })),
    unknown: result.unknown,
  });
}

async function availabilityJson(c: Context<AppEnv>, userId: string, query: z.output<typeof availabilityQuery>): Promise<string> {
  const { from, to } = await windowOf(c, userId, query);
  const result = await availability(c.var.deps, userId, { from, to, userIds: query.userIds, durationMinutes: query.durationMinutes, stepMinutes: query.stepMinutes });
  return JSON.stringify({ from: iso(from), to: iso(to), durationMinutes: query.durationMinutes, userIds: result.userIds, free: result.free.map(intervalJson), slots: result.slots.map(intervalJson), truncated: result.truncated });
}

export function availabilityApi() {
  return new Hono<AppEnv>()
    .get("/api/calendar/freebusy", queryParams(freebusyQuery), async (c) => {
      const { user } = requireUser(c);
      const query = c.req.valid("query");
      // The same question asked again (a poller, a booking page) is kept whole; a new one is worked out from each
      // person's kept months (kept-busy.ts).
      const key = `${user.id}|freebusy|${query.from}|${query.to}|${query.timeZone ?? ""}|${query.userIds.join(",")}`;
      return c.body(await keptView(c.var.deps, key, () => freeBusyJson(c, user.id, query)), 200, JSON_TYPE);
    })
    .get("/api/calendar/availability", queryParams(availabilityQuery), async (c) => {
      const { user } = requireUser(c);
      const query = c.req.valid("query");
      const key = `${user.id}|availability|${query.from}|${query.to}|${query.timeZone ?? ""}|${query.userIds.join(",")}|${query.durationMinutes}|${query.stepMinutes}`;
      return c.body(await keptView(c.var.deps, key, () => availabilityJson(c, user.id, query)), 200, JSON_TYPE);
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
