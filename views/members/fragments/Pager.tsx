import { membersBase, onPage, tabHref, type MembersPanelProps } from "../types";

/**
 * Previous and next page of the member table: plain links to the tab's address, which htmx upgrades
 * to fetch only the panel and push that address.
 */
export function Pager(props: Pick<MembersPanelProps, "businessId" | "page" | "pages" | "pageSize" | "total" | "members">) {
  const { page, pages } = props;
  const first = (page - 1) * props.pageSize + 1;
  const link = (to: number, label: string, rel: string) => (
    <a class="button small" rel={rel} href={tabHref(props.businessId, to)} hx-get={onPage(membersBase(props.businessId), to)} hx-target="#members-panel" hx-swap="outerHTML" hx-push-url={tabHref(props.businessId, to)}>
      {label}
    </a>
  );
  return (
    <nav class="members-pager" aria-label="Member pages">
      {page > 1 ? link(page - 1, "← Previous page", "prev") : null}
      <span>
        Page {page} of {pages} · members {first}–{first + props.members.length - 1} of {props.total}
      </span>
      {page < pages ? link(page + 1, "Next page →", "next") : null}
    </nav>
  );
}
