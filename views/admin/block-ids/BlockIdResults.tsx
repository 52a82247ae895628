import type { BlockIdUser } from "../../../src/features/admin/block-ids";
import { BlockId } from "../../components/BlockId";
import { DataTable } from "../../components/DataTable";
import { Pager } from "../fragments/Pager";
import { sourceLabel, userPageHref } from "./labels";

export interface BlockIdResultsProps {
  rows: BlockIdUser[];
  q: string;
  /** The next page's address, or null on the last page. */
  nextHref: string | null;
  /** The first page's address, when this is a later page. */
  firstHref: string | null;
  message?: string | null;
}

function PlacePart(props: { part: { name: string; code?: string } | undefined }) {
  if (!props.part) return <span class="muted">—</span>;
  return (
    <>
      {props.part.name}
      {props.part.code ? <span class="muted">{` ${props.part.code}`}</span> : null}
    </>
  );
}

/** Users with their current Block ID and place: what the search form's htmx request swaps. */
export function BlockIdResults(props: BlockIdResultsProps) {
  return (
    <section id="block-id-results" class="card results" aria-label="Users and their Block IDs">
      {props.message ? (
        <p class="form-message error" role="alert">
          {props.message}
        </p>
      ) : null}
      {props.rows.length === 0 ? (
        <p class="muted">{props.q ? "No account matches that search." : "No accounts on this page."}</p>
      ) : (
        <DataTable columns={["Block ID", "Name", "Email", "Town", "Region", "Country", "Source"]} caption="Users and their current Block IDs, newest account first">
          {props.rows.map((user) => (
            <tr data-user={user.id}>
              <td>
                <BlockId value={user.blockId} />
              </td>
              <th scope="row">
                <a href={userPageHref(user.id)}>{user.name}</a>
              </th>
              <td class="break">{user.email}</td>
              <td>
                <PlacePart part={user.place?.town} />
              </td>
              <td>
                <PlacePart part={user.place?.region} />
              </td>
              <td>
                <PlacePart part={user.place ? { name: `${user.place.country.name} (+${user.place.country.callingCode})` } : undefined} />
              </td>
              <td>{sourceLabel(user.source)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Pager label="Block ID pages" target="#block-id-results" previous={props.firstHref} previousLabel="First page" next={props.nextHref} />
    </section>
  );
}
