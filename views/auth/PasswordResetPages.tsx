import { Field, FormMessage, type FieldErrors } from "../components/Field";

export interface ForgotPasswordFormProps {
  values?: { email?: string };
  errors?: FieldErrors;
  message?: string | null;
  /** After a request: the same words whether or not the address has an account. */
  sent?: boolean;
}

export function ForgotPasswordForm(props: ForgotPasswordFormProps) {
  if (props.sent) {
    return (
      <div id="forgot-form" class="card" role="status">
        <p>If an account uses that address, a link to choose a new password is on its way. It works once, for 30 minutes.</p>
        <p>
          <a href="/login">Back to sign in</a>
        </p>
      </div>
    );
  }
  return (
    <form id="forgot-form" class="card form" method="post" action="/forgot-password" hx-post="/forgot-password" hx-target="this" hx-swap="outerHTML" novalidate>
      <FormMessage kind="error" message={props.message} />
      <Field form="forgot" name="email" label="Email" type="email" autocomplete="username" value={props.values?.email} errors={props.errors} />
      <button type="submit" class="button primary">Send the link</button>
    </form>
  );
}

export function ForgotPasswordPage(props: ForgotPasswordFormProps) {
  return (
    <section class="auth-page">
      <h1>Forgot your password?</h1>
      <p class="muted">Enter your account's address; we mail you a link to choose a new password.</p>
      <ForgotPasswordForm {...props} />
    </section>
  );
}

export interface ResetPasswordFormProps {
  /** Where the form posts: /reset-password/<token>. */
  action: string;
  errors?: FieldErrors;
  message?: string | null;
}

export function ResetPasswordForm(props: ResetPasswordFormProps) {
  return (
    <form id="reset-form" class="card form" method="post" action={props.action} hx-post={props.action} hx-target="this" hx-swap="outerHTML" novalidate>
      <FormMessage kind="error" message={props.message} />
      <Field
        form="reset"
        name="newPassword"
        label="New password"
        type="password"
        autocomplete="new-password"
        hint="8 to 128 characters. Every session of your account will be signed out."
        errors={props.errors}
      />
      <Field form="reset" name="confirmPassword" label="Repeat the new password" type="password" autocomplete="new-password" errors={props.errors} />
      <button type="submit" class="button primary">Set the new password</button>
    </form>
  );
}

/** The page behind the link; a dead link says so and offers a new one. */
export function ResetPasswordPage(props: ResetPasswordFormProps & { linkWorks: boolean }) {
  return (
    <section class="auth-page">
      <h1>Choose a new password</h1>
      {props.linkWorks ? (
        <ResetPasswordForm {...props} />
      ) : (
        <div class="card">
          <p class="form-message error" role="alert">
            This link has expired or was already used.
          </p>
          <p>
            <a href="/forgot-password">Ask for a new link</a>
          </p>
        </div>
      )}
    </section>
  );
}
