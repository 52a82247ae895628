/** The one error type a route or service throws on purpose; the error handler renders it. */
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export type FieldErrors = Record<string, string[]>;

export function validationError(fieldErrors: FieldErrors, message = "Some fields need attention."): AppError {
  return new AppError(400, "validation_failed", message, { fieldErrors });
}
