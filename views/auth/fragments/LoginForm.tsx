import { Field, FormMessage, type FieldErrors } from "../../components/Field";

export interface LoginFormProps {
  values?: { email?: string };
  errors?: FieldErrors;
  message?: string | null;
  next?: string;
}

export function LoginForm(props: LoginFormProps) {
  return (
    <form id="login-form" class="card form" method="post" action="/login" hx-post="/login" hx-target="this" hx-swap="outerHTML" novalidate>
      <FormMessage kind="error" message={props.message} />
      {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
      <Field form="login" name="email" label="Email" type="email" autocomplete="username" value={props.values?.email} errors={props.errors} />
      <Field form="login" name="password" label="Password" type="password" autocomplete="current-password" errors={props.errors} />
      <button type="submit" class="button primary">Sign in</button>
    </form>
  );
}
