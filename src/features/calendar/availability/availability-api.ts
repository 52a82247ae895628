// GET /api/calendar/freebusy, GET /api/calendar/availability, GET/PUT /api/calendar/working-hours.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { AppError } from "../../../lib/errors";
import { requireUser } from "../../../http/require-user";
import type { AppEnv } from "../../../http/types";
import { jsonBody, queryParams } from "../../../http/validate";
import { checked } from "../events";
import { checkZone, parseWindowEdge } from "../occurrences";
import { WEEKDAY_KEYS, type WorkingHours } from "../schema";
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

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "Use a time such as 09:00 (24:00 for the end of the day).");
const period = z.tuple([time, time]).refine(([start, end]) => start < end, "A period must end after it starts.");
const day = z.array(period).max(4, "At most four periods a day.");
const workingHoursInput = z.object({
  timeZone: z.string().max(64).nullable().default(null),
  hours: z.object(Object.fromEntries(WEEKDAY_KEYS.map((key) => [key, day.default([])])) as Record<(typeof WEEKDAY_KEYS)[number], z.ZodDefault<typeof day>>),
});

const iso = (ms: number) => new Date(ms).toISOString();
const intervalJson = (i: Interval) => ({ start: iso(i.startMs), end: iso(i.endMs) });

/** Overlapping periods of one day are a 400 naming the day. */
function checkOverlaps(hours: WorkingHours): void {
  for (const key of WEEKDAY_KEYS) {
    const sorted = [...hours[key]].sort(([a], [b]) => a.localeCompare(b));
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]![0] < sorted[i - 1]![1]) throw new AppError(400, "validation_failed", "The periods of a day may not overlap.", { fieldErrors: { [`hours.${key}`]: ["The periods of a day may not overlap."] } });
    }
  }
}

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
      checkOverlaps(input.hours);
      return c.json({ workingHours: await saveWorkingHours(c.var.deps, user.id, input) });
    });
}
