import { createMiddleware } from "hono/factory";
import { AppError } from "../lib/errors";
import type { AppContext, AppEnv } from "./types";

/** The signed-in user, or a 401 (JSON) / redirect to sign-in (pages) through the error handler. */
export function requireUser(c: AppContext) {
  const user = c.var.user;
  const session = c.var.session;
  if (!user || !session) throw new AppError(401, "unauthenticated", "Sign in to continue.");
  return { user, session };
}

/** Every admin route, pages, form posts and /api/admin alike, whichever feature serves it: platform admins only. */
export const requirePlatformAdmin = createMiddleware<AppEnv>(async function requirePlatformAdmin(c, next) {
  const { user } = requireUser(c);
  if (!user.isPlatformAdmin) throw new AppError(403, "forbidden", "The admin portal is for platform admins only.");
  await next();
});
