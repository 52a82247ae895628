import { safeRedirectTarget } from "./safe-redirect";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppShell } from "../../views/layouts/AppShell";
import type { AppContext } from "./types";

/**
 * An htmx request for a region (HX-Request, but not a boosted navigation or a history restore)
 * gets only the fragment; everything else gets the whole page in AppShell.
 */
export function wantsFragment(c: AppContext): boolean {
  return (
    c.req.header("hx-request") === "true" &&
    c.req.header("hx-boosted") !== "true" &&
    c.req.header("hx-history-restore-request") !== "true"
  );
}

type Status = ContentfulStatusCode;

export interface RenderOptions {
  title: string;
  /** What an htmx request swaps in. */
  fragment: Child;
  /** The page body around the fragment; defaults to the fragment alone. Built only for a whole page. */
  page?: () => Child | Promise<Child>;
  status?: Status;
}

export async function render(c: AppContext, options: RenderOptions) {
  c.header("Vary", "HX-Request", { append: true });
  c.header("Cache-Control", "no-store");
  const status = options.status ?? 200;
  if (wantsFragment(c)) return c.html(<>{options.fragment}</>, status);
  const shell = c.var.user && c.var.loadShell ? await c.var.loadShell() : null;
  const body = options.page ? await options.page() : options.fragment;
  return c.html(
    <AppShell title={options.title} user={c.var.user} path={c.req.path} shell={shell} liveCursor={c.var.liveCursor}>
      {body}
    </AppShell>,
    status,
  );
}

/** After a successful form post: a 303 for plain forms, a client-side redirect for htmx. */
export function redirectAfterPost(c: AppContext, target: string) {
  // Every post-redirect of the app goes through here: whatever it was given, it stays on this site.
  const location = safeRedirectTarget(target);
  if (c.req.header("hx-request") === "true") {
    c.header("HX-Redirect", location);
    return c.body(null, 204);
  }
  return c.redirect(location, 303);
}
