import type { Context } from "hono";
import type { Deps } from "../deps";
import type { PublicUser, SessionInfo } from "../features/auth";
import type { RequestMeta } from "../features/audit";

export type AppEnv = {
  Variables: {
    deps: Deps;
    requestId: string;
    user: PublicUser | null;
    session: SessionInfo | null;
  };
};

export type AppContext = Context<AppEnv>;

export function requestMeta(c: AppContext): RequestMeta {
  return {
    ipAddress: c.var.deps.clientAddress(c),
    userAgent: c.req.header("user-agent") ?? "",
    requestId: c.var.requestId,
  };
}

export function isApiPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}
