import type { FieldErrors } from "../components/Field";
import { LocationPickers } from "../location/LocationPickers";
import type { PickerOptions } from "../../src/features/location";
import { ProviderButtons, type ProviderLink } from "./fragments/ProviderButtons";
import { RegisterForm, type RegisterFormProps } from "./fragments/RegisterForm";

export function RegisterPage(props: RegisterFormProps & { providers: ProviderLink[] }) {
  return (
    <section class="auth-page">
      <h1>Create your account</h1>
      <RegisterForm {...props} />
      <ProviderButtons providers={props.providers} />
      {props.providers.length ? <p class="muted">A new account made through a provider is asked to accept the terms and privacy notice before it starts.</p> : null}
      <p class="muted">
        Already have an account? <a href={props.next ? `/login?next=${encodeURIComponent(props.next)}` : "/login"}>Sign in</a>
      </p>
    </section>
  );
}

/**
 * The registration form's optional country / region / town pickers. The pickers' "Show regions and
 * towns" button comes before "Create account" in the form, so pressing Enter in a field would press
 * it (a form's default button is its first submit button); the hidden "Create account" before them
 * takes that role, and Enter creates the account.
 */
export function RegisterLocation(props: { options: PickerOptions; errors?: FieldErrors }) {
  return (
    <>
      <button type="submit" class="visually-hidden" tabindex={-1} aria-hidden="true">
        Create account
      </button>
      <LocationPickers
        form="register"
        legend="Where you are (optional)"
        hint="We use it for your Block ID, the number that says where you are. Leave it empty and we use your network's country."
        options={props.options}
        errors={props.errors}
      />
    </>
  );
}
