// Until a signed-in person has accepted the terms of service and the privacy notice in force (a new
// version, or an account made through a provider that has accepted nothing yet), the service waits:
// pages redirect to /consents/accept?next=…, and the JSON API answers 403 `consent_required`.
// What stays open is the account itself — signing out, the profile (so a person who does not accept
// can still download their data or delete the account), /api/auth/*, /api/me/* (the consent,
// export and deletion endpoints), the export download (/me/exports/*), the documents, and the live
// stream (ids only, no content).
import { createMiddleware } from "hono/factory";
import { isApiPath, type AppContext, type AppEnv } from "../../http/types";
import { AppError } from "../../lib/errors";
import type { Purpose } from "./purposes";
import { requiredToAccept } from "./service";

export const ACCEPT_PATH = "/consents/accept";

const OPEN_EXACT = new Set([ACCEPT_PATH, "/terms", "/privacy", "/logout", "/login", "/register", "/profile", "/events", "/health", "/api/events"]);
const OPEN_PREFIXES = ["/profile/", "/auth/", "/verify-email/", "/static/", "/api/auth/", "/api/me/", "/me/exports/"];

/** Whether this path answers a person who has not accepted the documents in force. */
export function openWhileUnaccepted(path: string): boolean {
  return OPEN_EXACT.has(path) || OPEN_PREFIXES.some((prefix) => path.startsWith(prefix));
}

export function consentRequired(c: AppContext, purposes: readonly Purpose[]): AppError {
  const { TERMS_VERSION, PRIVACY_VERSION } = c.var.deps.config;
  return new AppError(403, "consent_required", "Accept the terms of service and the privacy notice in force first: PUT /api/me/consents with {\"purposes\":{\"terms\":true,\"privacy\":true}}.", {
    purposes,
    versions: { terms: TERMS_VERSION, privacy: PRIVACY_VERSION },
    accept: "PUT /api/me/consents",
    documents: { terms: "/terms", privacy: "/privacy" },
  });
}

/** The path of the page an htmx request was made from (HX-Current-URL), if it is on this site (as served, or PUBLIC_URL); else /home. */
function pageOf(currentUrl: string | undefined, origins: (string | undefined)[]): string {
  try {
    const page = new URL(currentUrl ?? "");
    return origins.includes(page.origin) ? `${page.pathname}${page.search}` : "/home";
  } catch {
    return "/home";
  }
}

function publicOrigin(c: AppContext): string | undefined {
  const configured = c.var.deps.config.PUBLIC_URL;
  return configured ? new URL(configured).origin : undefined;
}

/**
 * People this process has seen accept the documents in force, by id and versions. Accepting is for good: a
 * required consent cannot be withdrawn (it is refused; one deletes the account instead), and new versions are a
 * new key. So the gate asks the database once per person and process, not on every request (it was ~100 µs of
 * every request's time, docs/performance.md). Bounded: cleared when full, which only costs the queries again.
 */
const accepted = new Set<string>();
const MAX_REMEMBERED = 50_000;

export function consentGate() {
  return createMiddleware<AppEnv>(async function consentGate(c, next) {
    const user = c.var.user;
    if (!user || openWhileUnaccepted(c.req.path)) return next();
    const { TERMS_VERSION, PRIVACY_VERSION } = c.var.deps.config;
    const key = `${user.id}|${TERMS_VERSION}|${PRIVACY_VERSION}`;
    if (accepted.has(key)) return next();
    const pending = await requiredToAccept(c.var.deps, user.id);
    if (pending.length === 0) {
      if (accepted.size >= MAX_REMEMBERED) accepted.clear();
      accepted.add(key);
      return next();
    }
    if (isApiPath(c.req.path)) throw consentRequired(c, pending);
    const url = new URL(c.req.url);
    if (c.req.header("hx-request") === "true") {
      // A region loading itself (the header's badges and menus, on the accept page too): nothing to swap.
      if (c.req.method === "GET" && c.req.header("hx-boosted") !== "true") return c.body(null, 204);
      // A boosted navigation comes back to its page after; an htmx action to the page it was made on.
      const back = c.req.method === "GET" ? `${url.pathname}${url.search}` : pageOf(c.req.header("hx-current-url"), [url.origin, publicOrigin(c)]);
      c.header("HX-Redirect", `${ACCEPT_PATH}?next=${encodeURIComponent(back)}`);
      return c.body(null, 204);
    }
    // A page asked for with GET comes back after; anything else (a form post) goes home after.
    const back = c.req.method === "GET" ? `${url.pathname}${url.search}` : "/home";
    const target = `${ACCEPT_PATH}?next=${encodeURIComponent(back)}`;
    return c.redirect(target, 303);
  });
}
