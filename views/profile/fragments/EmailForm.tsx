import { Field, FormMessage, type FieldErrors } from "../../components/Field";

export function EmailForm(props: { email: string; errors?: FieldErrors; saved?: boolean; pendingEmail?: string | null }) {
  return (
    <form id="email-form" class="card form" method="post" action="/profile/email" hx-post="/profile/email" hx-target="this" hx-swap="outerHTML" novalidate>
      <h2>Email</h2>
      <FormMessage kind="success" message={props.saved && props.pendingEmail ? `We sent a link to ${props.pendingEmail}. Your address changes when you follow it.` : null} />
      {props.pendingEmail && !props.saved ? (
        <p class="muted" role="status">
          Waiting for confirmation: {props.pendingEmail}. Follow the link we sent there; until then your address stays {props.email}.
        </p>
      ) : null}
      <Field form="email" name="email" label="Email address" type="email" autocomplete="email" value={props.email} errors={props.errors} />
      <Field
        form="email"
        name="currentPassword"
        label="Current password"
        type="password"
        autocomplete="current-password"
        hint="Needed to change where your account's mail goes."
        errors={props.errors}
      />
      <button type="submit" class="button">Change email</button>
    </form>
  );
}
