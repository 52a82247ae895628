import type { FieldErrors } from "../components/Field";
import { AdminLayout } from "./AdminLayout";
import { BusinessResults, type BusinessResultsProps } from "./fragments/BusinessResults";
import { SearchForm } from "./fragments/SearchForm";

export const BUSINESS_SEARCH = { id: "business-search", action: "/admin-portal/businesses", target: "#business-results", label: "Search businesses", hint: "Part of the business's name." };

export function BusinessesPage(props: BusinessResultsProps & { errors?: FieldErrors }) {
  return (
    <AdminLayout section="businesses" title="Businesses">
      <SearchForm {...BUSINESS_SEARCH} q={props.q} errors={props.errors} />
      <BusinessResults {...props} />
    </AdminLayout>
  );
}
