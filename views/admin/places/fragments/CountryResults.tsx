import { DataTable } from "../../../components/DataTable";
import type { CountrySummary } from "../../../../src/features/location";
import { ListPager } from "../../fragments/Pager";

export interface CountryResultsProps {
  rows: CountrySummary[];
  hasMore: boolean;
  q: string;
  page: number;
  message?: string | null;
}

const number = (n: number) => n.toLocaleString("en");

/** The country table and its pager: what the search form's htmx request swaps. */
export function CountryResults(props: CountryResultsProps) {
  return (
    <section id="country-results" class="card results" aria-label="Countries">
      {props.message ? <p class="form-message error" role="alert">{props.message}</p> : null}
      {props.rows.length === 0 ? (
        <p class="muted">{props.q ? "No country matches that search." : "No countries on this page."}</p>
      ) : (
        <DataTable
          columns={[
            "Country",
            "ISO code",
            "Calling code",
            { label: "Regions", numeric: true },
            { label: "Towns", numeric: true },
            { label: "Current Block IDs", numeric: true },
          ]}
          caption="Countries by name; regions and towns do not count the Unassigned ones (000)"
        >
          {props.rows.map((country) => (
            <tr data-country={country.id}>
              <th scope="row">
                <a href={`/admin-portal/places/${country.id}`}>{country.name}</a>
              </th>
              <td>
                <code>{country.id}</code> <span class="muted">{country.alpha3}</span>
              </td>
              <td>+{country.callingCode}</td>
              <td class="numeric" data-count="regions">{number(country.regions)}</td>
              <td class="numeric" data-count="towns">{number(country.towns)}</td>
              <td class="numeric" data-count="block-ids">{number(country.currentBlockIds)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <ListPager label="Country pages" target="#country-results" base="/admin-portal/places" q={props.q} page={props.page} hasMore={props.hasMore} />
    </section>
  );
}
