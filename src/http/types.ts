import type { Context } from "hono";
import type { Deps } from "../deps";
import type { PublicUser, SessionInfo } from "../features/auth";
import type { RequestMeta } from "../features/audit";
import { edgeHint } from "../features/location/resolve";
import type { ShellContexts } from "../../views/layouts/ContextSwitcher";

export type AppEnv = {
  Variables: {
    deps: Deps;
    requestId: string;
    user: PublicUser | null;
    session: SessionInfo | null;
    /** Loads the signed-in user's contexts for the header; set by the workspace feature. */
    loadShell: (() => Promise<ShellContexts>) | undefined;
  };
};

export type AppContext = Context<AppEnv>;

export function requestMeta(c: AppContext): RequestMeta {
  return {
    ipAddress: c.var.deps.clientAddress(c),
    userAgent: c.req.header("user-agent") ?? "",
    requestId: c.var.requestId,
    edge: edgeHint(c.req.raw, c.var.deps.config.TRUST_PROXY),
  };
}

export function isApiPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}
