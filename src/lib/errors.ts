export type FieldErrors = Record<string, string[]>;

/** The errors beside a form's fields as `details.fieldErrors` holds them: field → messages; anything else is none. */
function fieldErrorsIn(value: unknown): FieldErrors {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const entries = Object.entries(value).flatMap(([field, messages]): [string, string[]][] => {
    const texts = Array.isArray(messages) ? messages.filter((m): m is string => typeof m === "string") : [];
    return texts.length ? [[field, texts]] : [];
  });
  return Object.fromEntries(entries);
}

/** The one error type a route or service throws on purpose; the error handler renders it. */
export class AppError extends Error {
  override name = "AppError";
  /**
   * The errors a form shows beside its fields (field → messages; `_form` for the form as a whole),
   * read from `details.fieldErrors`; empty when the error names no field. `details` is unchanged,
   * so the JSON answer (`{ error: { code, message, details } }`) is the same as ever.
   */
  readonly fieldErrors: FieldErrors;
  constructor(
    readonly status: 400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 422 | 423 | 429 | 500 | 503,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.fieldErrors = fieldErrorsIn(details.fieldErrors);
  }
}

export function validationError(fieldErrors: FieldErrors, message = "Some fields need attention."): AppError {
  return new AppError(400, "validation_failed", message, { fieldErrors });
}
