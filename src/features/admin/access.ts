import { createMiddleware } from "hono/factory";
import { requireUser } from "../../http/require-user";
import type { AppEnv } from "../../http/types";
import { AppError } from "../../lib/errors";

/** Every admin route, pages, form posts and /api/admin alike: platform admins only. */
export const requirePlatformAdmin = createMiddleware<AppEnv>(async function requirePlatformAdmin(c, next) {
  const { user } = requireUser(c);
  if (!user.isPlatformAdmin) throw new AppError(403, "forbidden", "The admin portal is for platform admins only.");
  await next();
});
