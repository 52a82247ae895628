import type { Child } from "hono/jsx";
import { Field, FormMessage, type FieldErrors } from "../../components/Field";
import { AcceptTermsField } from "../../privacy/AcceptTermsField";

export interface RegisterFormProps {
  values?: { email?: string; name?: string; acceptTerms?: string };
  errors?: FieldErrors;
  message?: string | null;
  /** Where to go after the account is made (an invitation, say); checked again on the server. */
  next?: string;
  /** The optional location pickers (RegisterLocation), inside the form so they are submitted with it. */
  location?: Child;
  /** The versions of the terms and privacy notice the checkbox accepts. */
  legal: { terms: string; privacy: string };
}

export function RegisterForm(props: RegisterFormProps) {
  return (
    <form id="register-form" class="card form" method="post" action="/register" hx-post="/register" hx-target="this" hx-swap="outerHTML" novalidate>
      <FormMessage kind="error" message={props.message} />
      {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
      <Field form="register" name="name" label="Name" autocomplete="name" value={props.values?.name} errors={props.errors} />
      <Field form="register" name="email" label="Email" type="email" autocomplete="email" value={props.values?.email} errors={props.errors} />
      <Field
        form="register"
        name="password"
        label="Password"
        type="password"
        autocomplete="new-password"
        hint="8 to 128 characters. A long phrase is easier to remember and harder to guess."
        errors={props.errors}
      />
      {props.location}
      <AcceptTermsField form="register" errors={props.errors} terms={props.legal.terms} privacy={props.legal.privacy} checked={props.values?.acceptTerms === "on"} />
      <button type="submit" class="button primary">Create account</button>
    </form>
  );
}
