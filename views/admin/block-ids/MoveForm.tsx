import type { PickerOptions } from "../../../src/features/location/options";
import { FormMessage, type FieldErrors } from "../../components/Field";
import { LocationPickers } from "../../location/LocationPickers";
import { userPageHref } from "./labels";

export interface MoveFormProps {
  userId: string;
  options: PickerOptions;
  errors?: FieldErrors;
  message?: string | null;
}

/**
 * "Move to another town": a plain form post (the no-JS "show" button narrows the pickers), and with
 * htmx the answer replaces the whole user panel, so the new number and the history show at once,
 * scrolled to the notice (or, after an error, to this form: the route sets HX-Reswap).
 */
export function MoveForm(props: MoveFormProps) {
  const action = `${userPageHref(props.userId)}/location`;
  return (
    <form id="move" class="form" method="post" action={action} hx-post={action} hx-target="#block-id-user" hx-swap="outerHTML show:top" novalidate>
      <FormMessage kind="error" message={props.message} />
      <LocationPickers
        options={props.options}
        form="move"
        legend="New location"
        hint="Choose a town. A country or a region alone puts the user in its Unassigned town. The current Block ID is retired and the place's next one issued."
        errors={props.errors}
      />
      <button type="submit" class="button primary">
        Move user
      </button>
    </form>
  );
}
