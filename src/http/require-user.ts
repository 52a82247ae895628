import { AppError } from "../lib/errors";
import type { AppContext } from "./types";

/** The signed-in user, or a 401 (JSON) / redirect to sign-in (pages) through the error handler. */
export function requireUser(c: AppContext) {
  const user = c.var.user;
  const session = c.var.session;
  if (!user || !session) throw new AppError(401, "unauthenticated", "Sign in to continue.");
  return { user, session };
}
