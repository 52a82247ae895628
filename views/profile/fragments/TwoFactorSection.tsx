import { raw } from "hono/html";
import { Field, FormMessage, type FieldErrors } from "../../components/Field";

export interface TwoFactorSectionProps {
  enabled: boolean;
  recoveryCodesLeft: number;
  /** The account signs in with a password (asked before any change); else a recent sign-in is. */
  hasPassword: boolean;
  /** Setting up: the seed as text and its QR code (an SVG drawn on the server). */
  setup?: { secret: string; qrSvg: string } | null;
  /** Recovery codes just made: shown this once. */
  recoveryCodes?: string[] | null;
  errors?: FieldErrors;
  message?: { kind: "error" | "success"; text: string } | null;
}

function PasswordField(props: { form: string; hasPassword: boolean; errors?: FieldErrors }) {
  return props.hasPassword ? (
    <Field form={props.form} name="currentPassword" label="Current password" type="password" autocomplete="current-password" errors={props.errors} />
  ) : null;
}

/** Two-factor sign-in on the profile: set up with a QR code, confirm, recovery codes, turn off. */
export function TwoFactorSection(props: TwoFactorSectionProps) {
  return (
    <section id="two-factor" class="card form">
      <h2>Two-factor sign-in</h2>
      <FormMessage kind={props.message?.kind ?? "success"} message={props.message?.text} />
      {props.recoveryCodes ? (
        <div class="recovery-codes" role="status">
          <p>Your recovery codes. Keep them somewhere safe: each signs you in once if you lose your phone. They are not shown again.</p>
          <ul>
            {props.recoveryCodes.map((code) => (
              <li>
                <code>{code}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {props.enabled ? (
        <>
          <p>
            On: signing in asks for a code from your authenticator app. {props.recoveryCodesLeft} recovery code{props.recoveryCodesLeft === 1 ? "" : "s"} left.
          </p>
          <form method="post" action="/profile/two-factor/recovery-codes" hx-post="/profile/two-factor/recovery-codes" hx-target="#two-factor" hx-swap="outerHTML" class="form">
            <PasswordField form="two-factor-codes" hasPassword={props.hasPassword} errors={props.errors} />
            <button type="submit" class="button">Make new recovery codes</button>
          </form>
          <form method="post" action="/profile/two-factor/disable" hx-post="/profile/two-factor/disable" hx-target="#two-factor" hx-swap="outerHTML" class="form">
            <PasswordField form="two-factor-off" hasPassword={props.hasPassword} errors={props.errors} />
            <Field form="two-factor-off" name="code" label="Code from your app (or a recovery code)" autocomplete="one-time-code" errors={props.errors} />
            <button type="submit" class="button danger">Turn off two-factor sign-in</button>
          </form>
        </>
      ) : props.setup ? (
        <form method="post" action="/profile/two-factor/confirm" hx-post="/profile/two-factor/confirm" hx-target="#two-factor" hx-swap="outerHTML" class="form">
          <p>Scan this code with an authenticator app (or type the key below), then enter the code it shows.</p>
          <div class="qr-code" role="img" aria-label="QR code of the key for your authenticator app">
            {raw(props.setup.qrSvg)}
          </div>
          <p>
            Key: <code id="totp-secret">{props.setup.secret}</code>
          </p>
          <Field form="two-factor-confirm" name="code" label="Code from your app" autocomplete="one-time-code" errors={props.errors} />
          <button type="submit" class="button primary">Turn on</button>
        </form>
      ) : (
        <form method="post" action="/profile/two-factor/setup" hx-post="/profile/two-factor/setup" hx-target="#two-factor" hx-swap="outerHTML" class="form">
          <p>Off. With it on, signing in also asks for a code from an app on your phone, so a stolen password alone is not enough.</p>
          <PasswordField form="two-factor-setup" hasPassword={props.hasPassword} errors={props.errors} />
          <button type="submit" class="button">Set up two-factor sign-in</button>
        </form>
      )}
    </section>
  );
}
