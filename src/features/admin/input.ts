import { z } from "zod";

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

export const USER_CHANGES = ["disable", "enable", "grant-admin", "revoke-admin"] as const;
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
