import type { CountryPlaces as Places } from "../../../../src/features/location";
import { Field, FormMessage } from "../../../components/Field";
import { placesBase, type Notice, type PlaceFailure } from "../types";
import { RegionCard } from "./RegionCard";

export interface CountryPlacesProps {
  places: Places;
  /** What was just done: shown in the region it names, else above everything. */
  notice?: Notice;
  noticeRegionId?: string | null;
  failure?: PlaceFailure | null;
}

/** A country's regions and towns with the form to add a region; adding or deleting a region swaps all of it. */
export function CountryPlaces(props: CountryPlacesProps) {
  const { country, regions } = props.places;
  const action = `${placesBase(country.id)}/regions`;
  const failure = props.failure?.form === "add-region" ? props.failure : null;
  const inRegion = props.noticeRegionId && regions.some((r) => r.id === props.noticeRegionId) ? props.noticeRegionId : null;
  return (
    <div id="country-places" class="places">
      {props.notice && !inRegion ? (
        <p class="form-message success" role="status">
          {props.notice.text}
        </p>
      ) : null}
      <form id="region-new" class="card form places-add" method="post" action={action} hx-post={action} hx-target="#country-places" hx-swap="outerHTML" novalidate>
        <h2>Add a region to {country.name}</h2>
        <FormMessage kind="error" message={failure?.message} />
        <div class="places-fields">
          <Field form="region-new" name="code" label="Code" hint="Three digits, like 012; fixed once created (it is part of every Block ID issued there)." value={failure?.values.code ?? ""} errors={failure?.errors} />
          <Field form="region-new" name="name" label="Name" hint="Up to 100 characters; no two regions of a country share one." value={failure?.values.name ?? ""} errors={failure?.errors} />
        </div>
        <button type="submit" class="button primary">Add region</button>
      </form>
      {regions.map((region) => (
        <RegionCard countryId={country.id} region={region} failure={props.failure} notice={inRegion === region.id ? props.notice : null} />
      ))}
    </div>
  );
}
