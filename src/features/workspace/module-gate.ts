import { createMiddleware } from "hono/factory";
import { requireUser } from "../../http/require-user";
import type { AppEnv } from "../../http/types";
import { requireMembership } from "./access";
import { loadModuleConfig, moduleRefusal } from "./module-config";

/**
 * Before every route that serves a module's data (pages, fragments, JSON): 404 outside the
 * business, 403 when the module is hidden from this member by role, department or position, or off.
 */
export function moduleGate(moduleId: string) {
  return createMiddleware<AppEnv>(async function moduleGate(c, next) {
    const { user } = requireUser(c);
    const membership = await requireMembership(c.var.deps.db, user.id, c.req.param("id") ?? "");
    const config = await loadModuleConfig(c.var.deps, membership.business.id, { requestId: c.var.requestId });
    const refusal = moduleRefusal(config, membership.member, moduleId);
    if (refusal) throw refusal;
    await next();
  });
}
