import { zValidator } from "@hono/zod-validator";
import { z, type ZodType } from "zod";
import { validationError, type FieldErrors } from "../lib/errors";
import type { AppContext } from "./types";

/** A zod error as the errors beside a form's fields; issues on no field go to `_form`. */
export function zodFieldErrors(error: z.core.$ZodError): FieldErrors {
  const flat = z.flattenError(error);
  const fields: FieldErrors = { ...(flat.fieldErrors as FieldErrors) };
  if (flat.formErrors.length) fields._form = flat.formErrors;
  return fields;
}

/** Validates a JSON body; a failure becomes a 400 with per-field details. */
export function jsonBody<T extends ZodType>(schema: T) {
  return zValidator("json", schema, (result) => {
    if (!result.success) throw validationError(zodFieldErrors(result.error));
  });
}

export function queryParams<T extends ZodType>(schema: T) {
  return zValidator("query", schema, (result) => {
    if (!result.success) throw validationError(zodFieldErrors(result.error), "Some query parameters are invalid.");
  });
}

/** Validates the path's parameters (ids in the address); a malformed one is a 400, never a lookup. */
export function pathParams<T extends ZodType>(schema: T) {
  return zValidator("param", schema, (result) => {
    if (!result.success) throw validationError(zodFieldErrors(result.error), "The address holds an invalid id.");
  });
}

/**
 * What a form (or a query string) sent, three ways:
 * - `values`: one string a key, the last one sent — to fill the form's fields in again;
 * - `lists`: every string sent under a key, in order — checkbox lists, repeated hidden fields;
 * - `input`: what the schema reads — a string for a key sent once, an array of strings for a key
 *   sent more than once (so a single-value schema is unchanged, and a list field takes both: see
 *   {@link listField}).
 * Files are left out of all three.
 */
export interface SentFields {
  values: Record<string, string>;
  lists: Record<string, string[]>;
  input: Record<string, string | string[]>;
}

export type FormResult<T> =
  | ({ ok: true; data: T } & Pick<SentFields, "values" | "lists">)
  | ({ ok: false; errors: FieldErrors } & Pick<SentFields, "values" | "lists">);

/** Builds {@link SentFields} from a key's values as sent (strings, files, or arrays of them). */
export function sentFields(sent: Record<string, unknown>): SentFields {
  const lists = Object.entries(sent).flatMap(([key, value]): [string, string[]][] => {
    const texts = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
    return texts.length ? [[key, texts]] : [];
  });
  // Object.fromEntries makes every key an own property, `__proto__` included.
  return {
    values: Object.fromEntries(lists.map(([key, texts]) => [key, texts[texts.length - 1]!])),
    lists: Object.fromEntries(lists),
    input: Object.fromEntries(lists.map(([key, texts]) => [key, texts.length === 1 ? texts[0]! : texts])),
  };
}

function validated<T extends ZodType>(schema: T, fields: SentFields): FormResult<z.infer<T>> {
  const { values, lists } = fields;
  const result = schema.safeParse(fields.input);
  if (result.success) return { ok: true, data: result.data, values, lists };
  return { ok: false, errors: zodFieldErrors(result.error), values, lists };
}

/**
 * Reads a urlencoded or multipart form and validates it; pages show the errors beside the fields.
 * A key sent more than once (checkboxes) reaches the schema as an array — read it with {@link listField}.
 */
export async function parseForm<T extends ZodType>(c: AppContext, schema: T): Promise<FormResult<z.infer<T>>> {
  return validated(schema, await readForm(c));
}

/**
 * A form's fields without a schema, for a form whose keys are not known in advance (one checkbox
 * list per row of a table, say): `lists[key]` is every value sent under `key`, `[]` when none.
 * An unreadable body is an empty form.
 */
export async function readForm(c: AppContext): Promise<SentFields> {
  return sentFields(await c.req.parseBody({ all: true }).catch(() => ({})));
}

/** The query string through zod, read as a form is; a failure comes back as field errors, never a throw. */
export function parseQuery<T extends ZodType>(c: AppContext, schema: T): FormResult<z.infer<T>> {
  return validated(schema, sentFields(c.req.queries()));
}

/**
 * A field that may be sent any number of times (a checkbox list): absent is `[]`, once is one
 * item, more is each of them — every item through `item`.
 */
export function listField<T extends ZodType>(item: T) {
  return z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(item));
}
