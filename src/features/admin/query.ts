import type { ZodType, z } from "zod";
import type { AppContext } from "../../http/types";
import { fieldErrorsOf } from "../../http/validate";
import type { FieldErrors } from "../../lib/errors";

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
