import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { PublicUser } from "../../src/features/auth";
import { VerifyBanner } from "../auth/VerifyEmailPage";
import { Bell } from "../notifications/Bell";
import { ContextSwitcher, type ShellContexts } from "./ContextSwitcher";
import { ChatBadge } from "../chat/ConversationList";

export interface ShellProps {
  title: string;
  user: PublicUser | null;
  /** The path of the page, so the nav can mark where the user is. */
  path: string;
  /** The user's contexts for the switcher; absent on pages rendered before sign-in. */
  shell?: ShellContexts | null;
  /** The event log's newest id when the request began: the page's live stream resumes after it, so nothing between render and connect is lost. */
  liveCursor?: number;
  children: Child;
}

// htmx reads its settings from this tag, so no inline script is needed (strict CSP): no eval, no
// injected indicator styles, and 4xx answers (a form with errors) are swapped in like 2xx.
const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  historyCacheSize: 0,
  // Not "style": a browser may add style="" to an input (autofill, after a confirm dialog), and
  // settling would copy it onto the new element — an inline style the CSP refuses.
  attributesToSettle: ["class", "width", "height"],
  // New content is processed when it settles, and only then does an element swapped in by the page stream
  // listen to it: with the default 20 ms (a second or more in a background tab, whose timers are throttled)
  // an event arriving meanwhile was lost — a presence dot changed twice in quick succession kept the first.
  defaultSettleDelay: 0,
  refreshOnHistoryMiss: true,
  responseHandling: [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "4..", swap: true, error: false },
    { code: "...", swap: true, error: true },
  ],
});

/** The signed-in user's name in the header; a profile form sends it again out of band when the name changes. */
export function UserName(props: { name: string; oob?: boolean }) {
  return (
    <span id="user-name" hx-swap-oob={props.oob ? "true" : undefined}>
      {props.name}
    </span>
  );
}

function NavLink(props: { href: string; path: string; children: Child }) {
  const current = props.path === props.href || props.path.startsWith(`${props.href}/`);
  return (
    <a href={props.href} aria-current={current ? "page" : undefined}>
      {props.children}
    </a>
  );
}

/** The one layout: header (product, context switcher, user menu), main nav, and the page. */
export function AppShell(props: ShellProps) {
  const { user, path } = props;
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <title>{`${props.title} · Block on Block`}</title>
          <link rel="stylesheet" href="/static/app.css" />
          <link rel="icon" href="/static/icon.svg" type="image/svg+xml" />
          <script src="/static/htmx.min.js" defer></script>
          {user ? <script src="/static/htmx-ext-sse.min.js" defer></script> : null}
          <script src="/static/app.js" defer></script>
          {user ? <script src="/static/chat.js" defer></script> : null}
          {user ? <script src="/static/calendar.js" defer></script> : null}
          {user ? <script src="/static/module-bridge.js" defer></script> : null}
        </head>
        {/* Signed in, the body holds the page's one live stream; regions listen with hx-trigger="sse:<event>" or sse-swap. */}
        <body hx-boost="true" hx-ext={user ? "sse" : undefined} sse-connect={user && props.liveCursor !== undefined ? `/events?lastEventId=${props.liveCursor}` : user ? "/events" : undefined}>
          <a class="skip-link" href="#main">Skip to content</a>
          <header class="app-header">
            <a class="brand" href={user ? "/home" : "/login"}>
              <span class="brand-mark" aria-hidden="true"></span>Block on Block
            </a>
            {user && props.shell ? <ContextSwitcher {...props.shell} /> : null}
            <div class="user-menu">
              {user ? (
                <>
                  <Bell />
                  <a class="status-link" href="/presence" hx-get="/presence/menu" hx-trigger="load" hx-swap="outerHTML">Status</a>
                  <NavLink href="/profile" path={path}>
                    <UserName name={user.name} />
                  </NavLink>
                  <form method="post" action="/logout" class="inline-form">
                    <button type="submit" class="link-button">Sign out</button>
                  </form>
                </>
              ) : (
                <>
                  <NavLink href="/login" path={path}>Sign in</NavLink>
                  <NavLink href="/register" path={path}>Create account</NavLink>
                </>
              )}
            </div>
          </header>
          {user ? (
            <nav class="main-nav" aria-label="Main">
              <NavLink href="/home" path={path}>Home</NavLink>
              <NavLink href="/calendar" path={path}>Calendar</NavLink>
              <NavLink href="/marketplace" path={path}>Marketplace</NavLink>
              <ChatBadge unread={null} />
              <NavLink href="/profile" path={path}>Profile</NavLink>
              {user.isPlatformAdmin ? <NavLink href="/admin-portal" path={path}>Admin</NavLink> : null}
            </nav>
          ) : null}
          {user && !user.emailVerified ? <VerifyBanner email={user.email} /> : null}
          <main id="main" tabindex={-1}>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}
