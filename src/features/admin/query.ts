// How the admin routes read a request: query strings and path ids through zod, and the links of a paged list.
import type { ZodType, z } from "zod";
import type { AppContext } from "../../http/types";
import { fieldErrorsOf } from "../../http/validate";
import { AppError, validationError, type FieldErrors } from "../../lib/errors";

type Parsed<T> = { ok: true; data: T; values: Record<string, string> } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** The query string through zod; a failure comes back as field errors for the form, never a throw. */
export function parseQuery<T extends ZodType>(c: AppContext, schema: T): Parsed<z.infer<T>> {
  const values = c.req.query();
  const result = schema.safeParse(values);
  return result.success ? { ok: true, data: result.data, values } : { ok: false, errors: fieldErrorsOf(result.error), values };
}

/** Errors that have no field of their own in a search form (a damaged page number, say). */
export function otherErrors(errors: FieldErrors, fields: string[]): string | null {
  const text = Object.entries(errors)
    .filter(([name]) => !fields.includes(name))
    .flatMap(([, messages]) => messages)
    .join(" ");
  return text || null;
}

/** A path id that is not one this app makes names nothing: 404, like an unknown one. */
export function pathId<T extends ZodType<string>>(schema: T, value: string | undefined, what: string): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw notFound(what);
  return parsed.data as string;
}

export const notFound = (what: string) => new AppError(404, "not_found", `There is no such ${what}.`);

/** A page's query string through zod; a damaged one (a cursor, say) is a 400 page, never a 500. */
export function pageQuery<T extends ZodType>(c: AppContext, schema: T): z.infer<T> {
  const result = schema.safeParse(c.req.query());
  if (!result.success) throw validationError(fieldErrorsOf(result.error), "That page link is damaged; start from the first page.");
  return result.data;
}

/** `base` with the given query parameters, the empty ones left out. */
export function withQuery(base: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `${base}?${text}` : base;
}
