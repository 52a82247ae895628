import { zValidator } from "@hono/zod-validator";
import { z, type ZodType } from "zod";
import { validationError, type FieldErrors } from "../lib/errors";
import type { AppContext } from "./types";

export function fieldErrorsOf(error: z.core.$ZodError): FieldErrors {
  const flat = z.flattenError(error);
  const fields: FieldErrors = { ...(flat.fieldErrors as FieldErrors) };
  if (flat.formErrors.length) fields._form = flat.formErrors;
  return fields;
}

/** Validates a JSON body; a failure becomes a 400 with per-field details. */
export function jsonBody<T extends ZodType>(schema: T) {
  return zValidator("json", schema, (result) => {
    if (!result.success) throw validationError(fieldErrorsOf(result.error));
  });
}

export function queryParams<T extends ZodType>(schema: T) {
  return zValidator("query", schema, (result) => {
    if (!result.success) throw validationError(fieldErrorsOf(result.error), "Some query parameters are invalid.");
  });
}

/** Validates the path's parameters (ids in the address); a malformed one is a 400, never a lookup. */
export function pathParams<T extends ZodType>(schema: T) {
  return zValidator("param", schema, (result) => {
    if (!result.success) throw validationError(fieldErrorsOf(result.error), "The address holds an invalid id.");
  });
}

export type FormResult<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Reads a urlencoded or multipart form and validates it; pages show the errors beside the fields. */
export async function parseForm<T extends ZodType>(c: AppContext, schema: T): Promise<FormResult<z.infer<T>>> {
  const body = await c.req.parseBody().catch(() => ({}));
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === "string") values[key] = value;
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data, values };
  return { ok: false, errors: fieldErrorsOf(result.error), values };
}
