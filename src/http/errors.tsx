import type { ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ErrorMessage } from "../../views/errors/ErrorPage";
import { AppError } from "../lib/errors";
import { render } from "./render";
import { isApiPath, type AppContext, type AppEnv } from "./types";

const TITLES: Record<number, string> = {
  400: "That request could not be read",
  401: "Sign in to continue",
  403: "You may not do that",
  404: "Page not found",
  409: "That clashes with something that exists",
  413: "That is too large",
  415: "That kind of content is not accepted",
  422: "Some fields need attention",
  429: "Too many attempts",
  500: "Something went wrong on our side",
  503: "Temporarily unavailable",
};

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 400) return new AppError(400, "bad_request", error.message || "The request could not be read.");
    if (status === 413) return new AppError(413, "payload_too_large", "The request body is too large.");
    if (status === 401 || status === 403 || status === 404 || status === 415 || status === 429) {
      return new AppError(status, "http_error", error.message || TITLES[status]!);
    }
  }
  return new AppError(500, "internal_error", "Something went wrong on our side. It has been logged.");
}

function respond(c: AppContext, error: AppError) {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  if (isApiPath(c.req.path)) {
    return c.json({ error: { code: error.code, message: error.message, details: error.details } }, error.status);
  }
  if (error.status === 401 && c.req.method === "GET") {
    const next = encodeURIComponent(c.req.path + (new URL(c.req.url).search || ""));
    return c.redirect(`/login?next=${next}`, 303);
  }
  const view = { status: error.status, title: TITLES[error.status] ?? "Error", message: error.message, requestId: c.var.requestId };
  return render(c, { title: view.title, status: error.status, fragment: <ErrorMessage {...view} /> });
}

/** The one error path: AppError → JSON under /api, an HTML page or fragment elsewhere; never a stack trace. */
export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  const appError = toAppError(error);
  if (appError.status >= 500) {
    c.var.deps?.log({
      level: "error",
      msg: "unhandled error",
      requestId: c.var.requestId,
      path: c.req.path,
      error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ""}` : String(error),
    });
  }
  return respond(c, appError);
};

export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
  respond(c, new AppError(404, "not_found", isApiPath(c.req.path) ? "No such endpoint." : "There is nothing at this address."));
