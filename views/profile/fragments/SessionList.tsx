import type { SessionListItem } from "../../../src/features/auth";
import { Time } from "../../components/Time";

/** A readable name for a browser from its user agent: enough to tell one's devices apart. */
function describeAgent(userAgent: string): string {
  if (!userAgent) return "Unknown client";
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Firefox\//.test(userAgent) ? "Firefox" : /Chrom(e|ium)\//.test(userAgent) ? "Chrome" : /Safari\//.test(userAgent) ? "Safari" : null;
  const system = /Windows/.test(userAgent) ? "Windows" : /Android/.test(userAgent) ? "Android" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Mac OS X/.test(userAgent) ? "macOS" : /Linux/.test(userAgent) ? "Linux" : null;
  if (browser) return system ? `${browser} on ${system}` : browser;
  return userAgent.slice(0, 60);
}

/** After sessions were ended for safety: the way to cut off a provider an intruder may have connected. */
export function UnlinkHint() {
  return (
    <p class="muted">
      If someone else got in, also <a href="/profile#providers">disconnect any sign-in provider you do not recognise</a> and check your{" "}
      <a href="/profile#passkeys">passkeys</a>.
    </p>
  );
}

export function SessionList(props: { sessions: SessionListItem[]; message?: string | null; endedOthers?: boolean }) {
  return (
    <section id="sessions" class="card" hx-get="/profile/sessions" hx-trigger="sessions-changed from:body" hx-swap="outerHTML">
      <h2>Sessions</h2>
      <p class="muted">Everywhere you are signed in. Revoke any you do not recognise.</p>
      {props.message ? <p class="form-message success" role="status">{props.message}</p> : null}
      {props.endedOthers ? (
        <>
          <p class="form-message success" role="status">Every other session is signed out.</p>
          <UnlinkHint />
        </>
      ) : null}
      <ul class="session-list">
        {props.sessions.map((session) => (
          <li class="session-item" data-session={session.publicId}>
            <div>
              <strong>{describeAgent(session.userAgent)}</strong>
              {session.current ? <span class="badge">This browser</span> : null}
              <p class="muted">
                {session.ipAddress.replace(/^::ffff:(?=[\d.]+$)/, "") || "unknown address"} · signed in <Time at={session.createdAt} /> · last active <Time at={session.lastSeenAt} />
              </p>
            </div>
            <form method="post" action={`/profile/sessions/${session.publicId}/revoke`} hx-post={`/profile/sessions/${session.publicId}/revoke`} hx-target="#sessions" hx-swap="outerHTML">
              <button type="submit" class="button danger small" aria-label={session.current ? `Sign out here (${describeAgent(session.userAgent)}, this browser)` : `Revoke ${describeAgent(session.userAgent)}`}>
                {session.current ? "Sign out here" : "Revoke"}
              </button>
            </form>
          </li>
        ))}
      </ul>
      {props.sessions.length > 1 ? (
        <form method="post" action="/profile/sessions/end-others" hx-post="/profile/sessions/end-others" hx-target="#sessions" hx-swap="outerHTML">
          <button type="submit" class="button danger">Sign out everywhere else</button>
        </form>
      ) : null}
    </section>
  );
}
