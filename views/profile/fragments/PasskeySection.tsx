import { Field, FormMessage, type FieldErrors } from "../../components/Field";
import { Time } from "../../components/Time";

export interface PasskeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/**
 * The account's passkeys: rename and remove with plain forms; adding one needs the browser's
 * WebAuthn, so its button appears only with JavaScript (static/passkeys.js).
 */
export function PasskeySection(props: { passkeys: PasskeyView[]; hasPassword: boolean; errors?: FieldErrors; message?: { kind: "error" | "success"; text: string } | null }) {
  return (
    <section id="passkeys" class="card form">
      <h2>Passkeys</h2>
      <FormMessage kind={props.message?.kind ?? "success"} message={props.message?.text} />
      <p class="muted">Sign in with your fingerprint, face or device PIN instead of a password. A passkey counts as two factors.</p>
      {props.passkeys.length === 0 ? <p>No passkeys yet.</p> : null}
      <ul class="passkey-list">
        {props.passkeys.map((passkey) => (
          <li class="passkey-item">
            <form method="post" action={`/profile/passkeys/${passkey.id}/rename`} class="inline-form">
              <label for={`passkey-name-${passkey.id}`} class="visually-hidden">
                Name of the passkey {passkey.name}
              </label>
              <input id={`passkey-name-${passkey.id}`} name="name" value={passkey.name} maxlength={60} required />
              <button type="submit" class="button small">Rename</button>
            </form>
            <span class="muted">
              Added <Time at={passkey.createdAt} />
              {passkey.lastUsedAt ? (
                <>
                  , last used <Time at={passkey.lastUsedAt} />
                </>
              ) : null}
            </span>
            <form method="post" action={`/profile/passkeys/${passkey.id}/delete`} class="inline-form">
              {props.hasPassword ? (
                <>
                  <label for={`passkey-password-${passkey.id}`} class="visually-hidden">
                    Current password, to remove {passkey.name}
                  </label>
                  <input id={`passkey-password-${passkey.id}`} type="password" name="currentPassword" autocomplete="current-password" placeholder="Current password" />
                </>
              ) : null}
              <button type="submit" class="button small danger" aria-label={`Remove ${passkey.name}`}>
                Remove
              </button>
            </form>
          </li>
        ))}
      </ul>
      <div class="passkey-add" data-passkey-add hidden>
        {props.hasPassword ? <Field form="passkey-add" name="currentPassword" label="Current password (to add a passkey)" type="password" autocomplete="current-password" errors={props.errors} required={false} /> : null}
        <button type="button" class="button" data-passkey-register>
          Add a passkey
        </button>
        <p class="form-message error" data-passkey-error hidden></p>
      </div>
      <script src="/static/passkeys.js" defer></script>
    </section>
  );
}
