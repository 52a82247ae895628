// How the admin routes read a request beyond the shared helpers (parseQuery in http/validate,
// otherErrors in http/forms): path ids through zod, a paged list's query, and its links.
import type { ZodType, z } from "zod";
import type { AppContext } from "../../http/types";
import { parseQuery } from "../../http/validate";
import { AppError, validationError } from "../../lib/errors";

/** A path id that is not one this app makes names nothing: 404, like an unknown one. */
export function pathId<T extends ZodType<string>>(schema: T, value: string | undefined, what: string): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw notFound(what);
  return parsed.data as string;
}

export const notFound = (what: string) => new AppError(404, "not_found", `There is no such ${what}.`);

/** A page's query string through zod; a damaged one (a cursor, say) is a 400 page, never a 500. */
export function pageQuery<T extends ZodType>(c: AppContext, schema: T): z.infer<T> {
  const query = parseQuery(c, schema);
  if (!query.ok) throw validationError(query.errors, "That page link is damaged; start from the first page.");
  return query.data;
}

/** `base` with the given query parameters, the empty ones left out. */
export function withQuery(base: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `${base}?${text}` : base;
}
