import { z } from "zod";
import { decodeCursor } from "../../lib/pager";
import type { ListCursor } from "./service";

export const PAGE_SIZE = 20;
/** How many the header's dropdown shows. */
export const MENU_SIZE = 10;

const CURSOR_MESSAGE = "That page link is damaged; start from the first page.";
const ID = /^[A-Za-z0-9_-]{1,64}$/;

const blank = (value: unknown) => (value === "" ? undefined : value);

/** A list cursor (lib/pager's opaque [createdAt, id]); anything else is a 400. */
export const cursorInput = z.preprocess(
  blank,
  z
    .string()
    .max(200, CURSOR_MESSAGE)
    .transform((text, ctx): ListCursor => {
      const key = decodeCursor(text, ["integer", "string"]);
      if (key && ID.test(key[1])) return { at: key[0], id: key[1] };
      ctx.addIssue({ code: "custom", message: CURSOR_MESSAGE, input: text });
      return z.NEVER;
    })
    .optional(),
);

const LIMIT_MESSAGE = "Ask for 1 to 100 notifications at a time.";
const limitInput = z.preprocess(
  blank,
  z.string().regex(/^\d{1,4}$/, LIMIT_MESSAGE).transform(Number).pipe(z.number().int().min(1, LIMIT_MESSAGE).max(100, LIMIT_MESSAGE)).default(PAGE_SIZE),
);

/** `?cursor=&limit=` of the list (page and JSON). */
export const listQuery = z.object({ cursor: cursorInput, limit: limitInput });
export type ListQuery = z.infer<typeof listQuery>;

export const idParam = z.object({ id: z.string().regex(ID, "That is not a notification id.") });

/** What the mark-read forms send besides the id: the page they were on, and whether they sit in the header's dropdown. */
export const markForm = z.object({ cursor: cursorInput, view: z.preprocess(blank, z.enum(["menu", "page"]).default("page")) });

/**
 * PUT /api/notifications/preferences: `{preferences: {kind: delivery}}`; kinds and deliveries are
 * checked by the service. The object is passed on as sent (z.record would rebuild it and lose an own
 * "__proto__" key, which must be refused as an unknown kind, not ignored).
 */
export const preferencesJson = z.object({
  preferences: z.custom<Record<string, unknown>>(
    (value) => typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length <= 100,
    "Send an object of kind → delivery (at most 100 kinds).",
  ),
});
