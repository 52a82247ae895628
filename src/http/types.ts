import type { Context } from "hono";
import type { Deps } from "../deps";
import type { ShellContexts } from "../../views/layouts/ContextSwitcher";
import { edgeHint, type GeoHint } from "./edge-hint";

/** The signed-in user as every request carries it (auth's session middleware fills it in); never the password hash. */
export interface RequestUser {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  isPlatformAdmin: boolean;
  /** `<calling code>-<region>-<town>-<serial>`; null only in the moment before one is issued. */
  blockId: string | null;
  createdAt: string;
}

/** The session a request was signed in with. */
export interface RequestSession {
  id: string;
  publicId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  idleExpiresAt: number;
  /** When the user last proved who they are in this session (sign-in or re-authentication). */
  authenticatedAt: number;
  /** "password", "passkey", or the provider the session was opened with. */
  signInMethod: string;
  /** The second factor proved at sign-in ("totp", "recovery", "passkey"), or null. */
  secondFactor: string | null;
}

/** Where a request came from, as recorded beside every audited action. */
export interface RequestMeta {
  ipAddress: string;
  userAgent: string;
  requestId: string;
  /** What the edge (Cloudflare) says about where the client is; not recorded, used for sign-ups. */
  edge?: GeoHint | null;
  /** A marketplace module acting for the person (its id): every audit entry of the request says so. */
  viaModule?: string;
}

export type AppEnv = {
  Variables: {
    deps: Deps;
    requestId: string;
    user: RequestUser | null;
    session: RequestSession | null;
    /** Loads the signed-in user's contexts for the header; set by the workspace feature. */
    loadShell: (() => Promise<ShellContexts>) | undefined;
    /** The event log's newest id when this page request began (features/realtime); the page's stream resumes after it. */
    liveCursor: number | undefined;
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
