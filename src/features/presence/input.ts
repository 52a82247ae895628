import { z } from "zod";
import { STATUS_TEXT_MAX } from "./rules";
import { PRESENCE_MODES } from "./schema";

/** One line of plain text, trimmed, at most STATUS_TEXT_MAX characters. */
const statusText = z
  .string()
  .transform((text) => text.trim())
  .pipe(
    z
      .string()
      .max(STATUS_TEXT_MAX, `Use at most ${STATUS_TEXT_MAX} characters.`)
      .regex(/^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/, "Use one line of plain text."),
  );

const mode = z.enum(PRESENCE_MODES, "Choose automatic, appear away or do not disturb.");

/** How long "do not disturb" lasts from now, in minutes; "" until turned off; "keep" the end already set. */
export const DND_MINUTES = ["30", "60", "120", "240", "480", "1440"] as const;

/** The status form (the header menu and /presence). */
export const statusForm = z.object({
  status: mode,
  text: statusText.default(""),
  dndFor: z.enum(["", "keep", ...DND_MINUTES], "Choose how long.").default(""),
  from: z.enum(["menu", "page"]).catch("page"),
  back: z.string().max(2048).optional(),
});

/** PUT /api/presence/status: `dndUntil` as epoch milliseconds or an ISO 8601 time with its offset. */
export const statusJson = z.strictObject({
  status: mode,
  text: statusText.optional(),
  dndUntil: z
    .union([z.number().int().min(0).max(8.64e15), z.iso.datetime({ offset: true }).transform((iso) => Date.parse(iso)), z.null()], "Give epoch milliseconds or an ISO 8601 time.")
    .optional(),
});

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** GET /api/presence?userIds=a,b (at most 100). */
export const presenceQuery = z.object({
  userIds: z
    .string()
    .max(8000)
    .transform((list) => list.split(",").map((id) => id.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(USER_ID, "must be user ids separated by commas")).min(1, "name at least one user").max(100, "ask for at most 100 users at once")),
});
