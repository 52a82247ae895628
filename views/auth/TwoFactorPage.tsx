import { Field, FormMessage, type FieldErrors } from "../components/Field";

export interface SecondStepFormProps {
  next?: string;
  /** What this account can answer with: a code (app or recovery) and/or a passkey. */
  ways?: { code: boolean; passkey: boolean };
  errors?: FieldErrors;
  message?: string | null;
}

/** The second step of a sign-in: a code from the authenticator app, or a recovery code. */
export function SecondStepForm(props: SecondStepFormProps) {
  const ways = props.ways ?? { code: true, passkey: false };
  return (
    <>
      {ways.passkey ? (
        <div class="passkey-signin" data-passkey-signin-box hidden>
          <button type="button" class="button primary" data-passkey-second data-next={props.next ?? "/home"}>
            Use a passkey
          </button>
          <p class="form-message error" data-passkey-error hidden></p>
          <script src="/static/passkeys.js" defer></script>
        </div>
      ) : null}
      {ways.code ? <CodeForm {...props} /> : null}
    </>
  );
}

function CodeForm(props: SecondStepFormProps) {
  return (
    <form id="second-step-form" class="card form" method="post" action="/login/two-factor" hx-post="/login/two-factor" hx-target="this" hx-swap="outerHTML" novalidate>
      <FormMessage kind="error" message={props.message} />
      {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
      <Field
        form="second-step"
        name="code"
        label="Code"
        autocomplete="one-time-code"
        hint="The 6-digit code your authenticator app shows now, or one of your recovery codes."
        errors={props.errors}
      />
      <button type="submit" class="button primary">
        Sign in
      </button>
    </form>
  );
}

export function SecondStepPage(props: SecondStepFormProps & { expired?: boolean }) {
  return (
    <section class="auth-page">
      <h1>Two-factor sign-in</h1>
      {props.expired ? (
        <div class="card">
          <p class="form-message error" role="alert">
            This sign-in took too long or had too many wrong codes.
          </p>
          <p>
            <a href="/login">Sign in again</a>
          </p>
        </div>
      ) : (
        <SecondStepForm {...props} />
      )}
    </section>
  );
}
