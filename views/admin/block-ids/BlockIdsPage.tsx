import type { FieldErrors } from "../../components/Field";
import { AdminLayout } from "../AdminLayout";
import { SearchForm } from "../fragments/SearchForm";
import { BlockIdResults, type BlockIdResultsProps } from "./BlockIdResults";

export const BLOCK_ID_SEARCH = {
  id: "block-id-search",
  action: "/admin-portal/block-ids",
  target: "#block-id-results",
  label: "Search users",
  hint: "The start of a Block ID (like 44-001), or part of a name or an email address.",
};

/** /admin-portal/block-ids: every user's current Block ID, searchable. */
export function BlockIdsPage(props: BlockIdResultsProps & { typed: string; errors?: FieldErrors }) {
  return (
    <AdminLayout section="block-ids" title="Block IDs">
      <SearchForm {...BLOCK_ID_SEARCH} q={props.typed} errors={props.errors} />
      <BlockIdResults {...props} />
    </AdminLayout>
  );
}
