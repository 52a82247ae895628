import { FormMessage } from "../../components/Field";
import { Time } from "../../components/Time";

export interface ProviderSectionProps {
  linked: { provider: string; label: string; email: string | null; linkedAt: string }[];
  /** Configured providers not yet connected: a link starts connecting one. */
  available: { id: string; label: string }[];
  hasPassword: boolean;
  message?: { kind: "error" | "success"; text: string } | null;
}

/** The sign-in providers connected to the account: disconnect one, or connect another. */
export function ProviderSection(props: ProviderSectionProps) {
  if (props.linked.length === 0 && props.available.length === 0) return null;
  return (
    <section id="providers" class="card form">
      <h2>Sign-in providers</h2>
      <FormMessage kind={props.message?.kind ?? "success"} message={props.message?.text} />
      {props.linked.length === 0 ? <p>No provider is connected.</p> : null}
      <ul class="provider-list">
        {props.linked.map((link) => (
          <li>
            <strong>{link.label}</strong>
            {link.email ? ` (${link.email})` : null} · connected <Time at={link.linkedAt} />
            <form method="post" action={`/profile/providers/${link.provider}/unlink`} class="inline-form">
              {props.hasPassword ? (
                <>
                  <label for={`unlink-password-${link.provider}`} class="visually-hidden">
                    Current password, to disconnect {link.label}
                  </label>
                  <input id={`unlink-password-${link.provider}`} type="password" name="currentPassword" autocomplete="current-password" placeholder="Current password" />
                </>
              ) : null}
              <button type="submit" class="button small danger" aria-label={`Disconnect ${link.label}`}>
                Disconnect
              </button>
            </form>
          </li>
        ))}
      </ul>
      {props.available.length ? (
        <p>
          Connect:{" "}
          {props.available.map((provider) => (
            <a class="button small" href={`/auth/${provider.id}?next=%2Fprofile%23providers`}>
              {provider.label}
            </a>
          ))}{" "}
          <span class="muted">(within 10 minutes of signing in)</span>
        </p>
      ) : null}
    </section>
  );
}
