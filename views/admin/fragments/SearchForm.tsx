import { Field, type FieldErrors } from "../../components/Field";

export interface SearchFormProps {
  /** Form id and the prefix of its field ids. */
  id: string;
  action: string;
  /** The region htmx replaces with the results. */
  target: string;
  label: string;
  hint: string;
  q?: string;
  errors?: FieldErrors;
  /** Sent beside an htmx answer so errors (or their absence) show beside the field. */
  oob?: boolean;
}

/** A plain GET search form; htmx swaps only the results and keeps the address in step. */
export function SearchForm(props: SearchFormProps) {
  return (
    <form
      id={props.id}
      class="search-form"
      method="get"
      action={props.action}
      role="search"
      hx-get={props.action}
      hx-target={props.target}
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-swap-oob={props.oob ? "true" : undefined}
      novalidate
    >
      <Field form={props.id} name="q" label={props.label} hint={props.hint} value={props.q} errors={props.errors} required={false} />
      <button type="submit" class="button">Search</button>
    </form>
  );
}
