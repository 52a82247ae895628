import { ProviderButtons, type ProviderLink } from "./fragments/ProviderButtons";
import { RegisterForm, type RegisterFormProps } from "./fragments/RegisterForm";

export function RegisterPage(props: RegisterFormProps & { providers: ProviderLink[] }) {
  return (
    <section class="auth-page">
      <h1>Create your account</h1>
      <RegisterForm {...props} />
      <ProviderButtons providers={props.providers} />
      <p class="muted">
        Already have an account? <a href={props.next ? `/login?next=${encodeURIComponent(props.next)}` : "/login"}>Sign in</a>
      </p>
    </section>
  );
}
