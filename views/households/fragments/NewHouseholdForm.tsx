import { Field, type FieldErrors } from "../../components/Field";

export function NewHouseholdForm(props: { values?: { name?: string }; errors?: FieldErrors }) {
  return (
    <form id="household-form" class="card form" method="post" action="/households/new" hx-post="/households/new" hx-target="this" hx-swap="outerHTML" novalidate>
      <Field form="household" name="name" label="Name" hint="For example, “The Okafor family” or “Flat 3B”." value={props.values?.name} errors={props.errors} />
      <button type="submit" class="button primary">Create household</button>
    </form>
  );
}
