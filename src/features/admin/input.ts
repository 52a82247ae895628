import { z } from "zod";
import { validationError } from "../../lib/errors";
import { decodeCursor } from "../../lib/pager";
import { BLOCK_ID_PATTERN, CODE_FIXED, countryIdInput, pickedLocationFields, placeCodeInput, placeIdInput, placeNameInput } from "../location";

export const DAY_MS = 86_400_000;

/** An empty box in a GET form arrives as "", which means "no filter", not a wrong value. */
const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const search = z
  .string()
  .trim()
  .max(200, "Search with at most 200 characters.")
  .default("");

const page = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^\d{1,5}$/, "A page is a whole number from 1.")
    .transform(Number)
    .pipe(z.number().int().min(1, "A page is a whole number from 1.").max(10_000, "There are not that many pages."))
    .default(1),
);

/** Row ids are random base32 (lib/crypto newId); anything else cannot name a row. */
export const rowId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const listQuery = z.object({ q: search, page });
export type ListQuery = z.infer<typeof listQuery>;

/** The list a row action came from, so a plain form post can return to it; bad values fall back. */
export const returnTo = z.object({ q: search.catch(""), page: page.catch(1) });

export const USER_CHANGES = ["disable", "enable", "grant-admin", "revoke-admin", "sign-out"] as const;
export type UserChange = (typeof USER_CHANGES)[number];
export const userChange = z.enum(USER_CHANGES);

export const doneNotice = z.preprocess(blankToUndefined, z.enum(USER_CHANGES).optional()).catch(undefined);

function isRealDate(value: string): boolean {
  const at = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === value;
}

const day = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD, like 2025-01-31.")
    .refine(isRealDate, "That date does not exist.")
    .transform((value) => Date.parse(`${value}T00:00:00Z`))
    .optional(),
);

const optionalText = (max: number, pattern: RegExp | null, message: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(max, `Use at most ${max} characters.`)
      .refine((value) => !pattern || pattern.test(value), message)
      .optional(),
  );

/** `<at>.<id>` of the last row shown: the next page starts strictly after it (newest first). */
const cursor = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^\d{1,15}\.[A-Za-z0-9_-]{1,64}$/, "That page link is damaged; start from the newest events.")
    .transform((value) => {
      const dot = value.indexOf(".");
      return { at: Number(value.slice(0, dot)), id: value.slice(dot + 1) };
    })
    .optional(),
);

export const auditQuery = z
  .object({
    actor: optionalText(254, null, ""),
    action: optionalText(
      100,
      /^[A-Za-z0-9_.:-]+\*?$/,
      "An action is letters, digits, dots, dashes or underscores, like auth.login; end with a dot or * for a prefix.",
    ),
    targetType: optionalText(50, /^[A-Za-z0-9_.-]+$/, "A target type is letters, digits, dots, dashes or underscores, like user."),
    targetId: optionalText(200, null, ""),
    from: day,
    to: day,
    cursor,
    limit: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^\d{1,3}$/, "Show 1 to 100 events per page.")
        .transform(Number)
        .pipe(z.number().int().min(1, "Show 1 to 100 events per page.").max(100, "Show 1 to 100 events per page."))
        .default(25),
    ),
  })
  .refine((v) => v.from === undefined || v.to === undefined || v.from <= v.to, {
    path: ["to"],
    message: "The end date is before the start date.",
  });

export type AuditQuery = z.infer<typeof auditQuery>;

/** The audit query as a URL search string (what the form would send), without the cursor. */
export function auditSearch(values: Record<string, string | undefined>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of ["actor", "action", "targetType", "targetId", "from", "to", "limit"]) {
    const value = values[key];
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

// ---- Places (/admin-portal/places, /api/admin/location) ----

export const PLACE_CHANGES = ["region-created", "region-renamed", "region-deleted", "town-created", "town-renamed", "town-deleted"] as const;
export type PlaceChange = (typeof PLACE_CHANGES)[number];

/** `?done=…&region=…` after a plain form post; anything else is simply no notice. */
export const placeDoneQuery = z.object({
  done: z.enum(PLACE_CHANGES).optional().catch(undefined),
  region: z.string().regex(/^[a-z0-9]{16,40}$/).optional().catch(undefined),
});

export const placeForm = z.object({ code: placeCodeInput, name: placeNameInput });
export const placeNameForm = z.object({ name: placeNameInput });

export const regionsQuery = z.object({ countryId: countryIdInput });
export const townsQuery = z.object({ regionId: placeIdInput("region") });
export const newRegionBody = z.object({ countryId: countryIdInput, code: placeCodeInput, name: placeNameInput });
export const newTownBody = z.object({ regionId: placeIdInput("region"), code: placeCodeInput, name: placeNameInput });

/** A rename: the name only. A code is refused with its own error (codes are fixed); other keys too. */
export const renameBody = z.strictObject({
  name: placeNameInput,
  code: z
    .unknown()
    .refine((value) => value === undefined, CODE_FIXED)
    .optional(),
});

// ---- Block IDs (/admin-portal/block-ids, /api/admin/users/…, /api/admin/block-ids/…) ----

/** User ids are random base32 (lib/crypto newId); anything outside this cannot name a user. */
export const userIdInput = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "That is not a user id.");

export const blockIdValueInput = z.string().regex(BLOCK_ID_PATTERN, "A Block ID looks like 44-001-001-000001.");

const CURSOR_MESSAGE = "That page link is damaged; start from the first page.";

// A Block ID list's cursor is the last row's sort key [time, id] as lib/pager's opaque cursor
// (base64url JSON, made by nextCursor in block-ids.ts); the id must look like a row id.
function timeCursor(text: string): { at: number; id: string } | null {
  const key = decodeCursor(text, ["integer", "string"]);
  return key && /^[A-Za-z0-9_-]{1,64}$/.test(key[1]) ? { at: key[0], id: key[1] } : null;
}

const blockIdCursor = z.preprocess(
  blankToUndefined,
  z
    .string()
    .max(200, CURSOR_MESSAGE)
    .transform((text, ctx) => {
      const decoded = timeCursor(text);
      if (decoded) return decoded;
      ctx.addIssue({ code: "custom", message: CURSOR_MESSAGE, input: text });
      return z.NEVER;
    })
    .optional(),
);

const limitInput = (fallback: number) => {
  const message = "Show 1 to 100 rows per page.";
  return z.preprocess(
    blankToUndefined,
    z.string().regex(/^\d{1,3}$/, message).transform(Number).pipe(z.number().int().min(1, message).max(100, message)).default(fallback),
  );
};

export const BLOCK_ID_USERS_PER_PAGE = 20;
export const EVENTS_PER_PAGE = 25;

export const blockIdSearchInput = z.object({
  q: z.string().trim().max(200, "Search with at most 200 characters.").default(""),
  limit: limitInput(BLOCK_ID_USERS_PER_PAGE),
  cursor: blockIdCursor,
});
export type BlockIdSearch = z.infer<typeof blockIdSearchInput>;

export const eventPageInput = z.object({ limit: limitInput(EVENTS_PER_PAGE), cursor: blockIdCursor });
export type EventPage = z.infer<typeof eventPageInput>;

/** Where to move a user: the same optional country / region / town fields as a registration. */
export const moveInput = z.object(pickedLocationFields);

/** A user id from the path; anything that cannot name a user is a 400. */
export function parseUserId(raw: string): string {
  const id = userIdInput.safeParse(raw);
  if (!id.success) throw validationError({ id: ["That is not a user id."] }, "That is not a user id.");
  return id.data;
}

/** A Block ID from the path; anything that is not shaped like one is a 400. */
export function parseBlockIdValue(raw: string): string {
  const value = blockIdValueInput.safeParse(raw);
  if (!value.success) throw validationError({ id: [value.error.issues[0]!.message] }, "That is not a Block ID; one looks like 44-001-001-000001.");
  return value.data;
}
