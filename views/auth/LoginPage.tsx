import { LoginForm, type LoginFormProps } from "./fragments/LoginForm";
import { ProviderButtons, type ProviderLink } from "./fragments/ProviderButtons";

/** `passkeyNext`: where a passkey sign-in goes (already checked to be a path on this site). */
export function LoginPage(props: LoginFormProps & { providers: ProviderLink[]; notice?: string | null; success?: string | null; passkeyNext?: string }) {
  return (
    <section class="auth-page">
      <h1>Sign in</h1>
      {props.notice ? <p class="form-message error" role="alert">{props.notice}</p> : null}
      {props.success ? <p class="form-message success" role="status">{props.success}</p> : null}
      <LoginForm {...props} />
      <p class="muted">
        <a href="/forgot-password">Forgot your password?</a>
      </p>
      <div class="passkey-signin" data-passkey-signin-box hidden>
        <button type="button" class="button" data-passkey-signin data-next={props.passkeyNext ?? "/home"}>
          Sign in with a passkey
        </button>
        <p class="form-message error" data-passkey-error hidden></p>
      </div>
      <script src="/static/passkeys.js" defer></script>
      <ProviderButtons providers={props.providers} />
      <p class="muted">
        New here? <a href={props.next ? `/register?next=${encodeURIComponent(props.next)}` : "/register"}>Create an account</a>
      </p>
    </section>
  );
}
