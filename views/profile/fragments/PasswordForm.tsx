import { Field, FormMessage, type FieldErrors } from "../../components/Field";
import { UnlinkHint } from "./SessionList";

export function PasswordForm(props: { errors?: FieldErrors; saved?: boolean; hasPassword: boolean }) {
  return (
    <form id="password-form" class="card form" method="post" action="/profile/password" hx-post="/profile/password" hx-target="this" hx-swap="outerHTML" novalidate>
      <h2>Password</h2>
      <FormMessage kind="success" message={props.saved ? "Your password is changed. Every other session has been signed out." : null} />
      {props.saved ? <UnlinkHint /> : null}
      {props.hasPassword ? (
        <Field form="password" name="currentPassword" label="Current password" type="password" autocomplete="current-password" errors={props.errors} />
      ) : (
        <p class="muted">You sign in through a provider; set a password to sign in with your email too.</p>
      )}
      <Field
        form="password"
        name="newPassword"
        label="New password"
        type="password"
        autocomplete="new-password"
        hint="8 to 128 characters. Changing it signs out every other session."
        errors={props.errors}
      />
      <Field form="password" name="confirmPassword" label="Repeat the new password" type="password" autocomplete="new-password" errors={props.errors} />
      <button type="submit" class="button">Change password</button>
    </form>
  );
}
