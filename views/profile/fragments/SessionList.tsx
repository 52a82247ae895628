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

export function SessionList(props: { sessions: SessionListItem[]; message?: string | null }) {
  return (
    <section id="sessions" class="card" hx-get="/profile/sessions" hx-trigger="sessions-changed from:body" hx-swap="outerHTML">
      <h2>Sessions</h2>
      <p class="muted">Everywhere you are signed in. Revoke any you do not recognise.</p>
      {props.message ? <p class="form-message success" role="status">{props.message}</p> : null}
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
    </section>
  );
}
