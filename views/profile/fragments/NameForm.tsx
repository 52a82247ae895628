import { Field, FormMessage, type FieldErrors } from "../../components/Field";

export function NameForm(props: { name: string; errors?: FieldErrors; saved?: boolean }) {
  return (
    <form id="name-form" class="card form" method="post" action="/profile/name" hx-post="/profile/name" hx-target="this" hx-swap="outerHTML" novalidate>
      <h2>Name</h2>
      <FormMessage kind="success" message={props.saved ? "Your name is saved." : null} />
      <Field form="name" name="name" label="Display name" autocomplete="name" value={props.name} errors={props.errors} />
      <button type="submit" class="button">Save name</button>
    </form>
  );
}
