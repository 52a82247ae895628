import type { FieldErrors } from "../../components/Field";
import { AdminLayout } from "../AdminLayout";
import { SearchForm } from "../fragments/SearchForm";
import { CountryResults, type CountryResultsProps } from "./fragments/CountryResults";

export const COUNTRY_SEARCH = {
  id: "country-search",
  action: "/admin-portal/places",
  target: "#country-results",
  label: "Search countries",
  hint: "Part of the name, the ISO code (GB or GBR) or the calling code (44).",
};

/** /admin-portal/places: every country with its calling code and how many places and Block IDs it has. */
export function PlacesPage(props: CountryResultsProps & { errors?: FieldErrors }) {
  return (
    <AdminLayout section="places" title="Places">
      <SearchForm {...COUNTRY_SEARCH} q={props.q} errors={props.errors} />
      <CountryResults {...props} />
    </AdminLayout>
  );
}
