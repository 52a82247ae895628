import type { FieldErrors } from "../components/Field";
import type { PickerOptions, PlaceOption } from "../../src/features/location/options";

export interface LocationPickersProps {
  options: PickerOptions;
  /** The form's id: element ids start with it, so two forms on one page never clash. */
  form: string;
  legend: string;
  hint?: string;
  errors?: FieldErrors;
}

/**
 * Country, region and town selects that narrow one another. With htmx a change asks
 * /location/pickers for the fieldset again; without JavaScript the "Show regions and towns" button
 * submits the form with `narrow=1`, and the page comes back with the next list filled in.
 */
export function LocationPickers(props: LocationPickersProps) {
  const { options, form } = props;
  const id = `${form}-location`;
  const query = new URLSearchParams({ form, legend: props.legend });
  // The fieldset fetched again must keep its hint too.
  if (props.hint) query.set("hint", props.hint);
  return (
    <fieldset id={id} class="location-pickers" hx-get={`/location/pickers?${query}`} hx-trigger="change" hx-target="this" hx-swap="outerHTML" hx-include="this" hx-sync="this:replace">
      <legend>{props.legend}</legend>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      <PickerSelect form={form} name="countryId" label="Country" errors={props.errors} value={options.selected.countryId} empty="— Choose a country —" choices={options.countries.map((c) => ({ id: c.id, label: `${c.name} (+${c.callingCode})` }))} />
      <PickerSelect form={form} name="regionId" label="Region" errors={props.errors} value={options.selected.regionId} empty={options.selected.countryId ? (options.regions.length ? "— Not sure —" : "No regions yet") : "Choose a country first"} choices={options.regions.map(placeChoice)} disabled={!options.selected.countryId || options.regions.length === 0} />
      <PickerSelect form={form} name="townId" label="Town" errors={props.errors} value={options.selected.townId} empty={options.selected.regionId ? (options.towns.length ? "— Not sure —" : "No towns yet") : "Choose a region first"} choices={options.towns.map(placeChoice)} disabled={!options.selected.regionId || options.towns.length === 0} />
      <button type="submit" name="narrow" value="1" formnovalidate class="button small no-js">
        Show regions and towns
      </button>
    </fieldset>
  );
}

const placeChoice = (place: PlaceOption) => ({ id: place.id, label: `${place.name} (${place.code})` });

function PickerSelect(props: {
  form: string;
  name: "countryId" | "regionId" | "townId";
  label: string;
  value: string | undefined;
  empty: string;
  choices: { id: string; label: string }[];
  errors?: FieldErrors;
  disabled?: boolean;
}) {
  const id = `${props.form}-${props.name}`;
  const errors = props.errors?.[props.name] ?? [];
  return (
    <div class={errors.length ? "field has-error" : "field"}>
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name} disabled={props.disabled} aria-invalid={errors.length ? "true" : undefined} aria-describedby={errors.length ? `${id}-error` : undefined}>
        <option value="">{props.empty}</option>
        {props.choices.map((choice) => (
          <option value={choice.id} selected={choice.id === props.value}>
            {choice.label}
          </option>
        ))}
      </select>
      {errors.length ? (
        <p class="field-error" id={`${id}-error`}>
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
