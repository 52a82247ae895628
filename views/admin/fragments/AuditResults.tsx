import type { AuditListItem } from "../../../src/features/admin/audit-log";
import { Pager } from "./Pager";
import { AuditTable } from "./AuditTable";

export interface AuditResultsProps {
  rows: AuditListItem[];
  /** Address of the next (older) page, or null at the end. */
  olderHref: string | null;
  /** Address of the first page with the same filters, when this is a later page. */
  newestHref: string | null;
  message?: string | null;
}

export function AuditResults(props: AuditResultsProps) {
  return (
    <section id="audit-results" class="card results" aria-label="Audit events">
      {props.message ? <p class="form-message error" role="alert">{props.message}</p> : null}
      {props.rows.length === 0 ? (
        <p class="muted">No audit events match.</p>
      ) : (
        <AuditTable rows={props.rows} caption="Audit events, newest first" />
      )}
      <Pager label="Audit pages" target="#audit-results" previous={props.newestHref} previousLabel="Newest" next={props.olderHref} nextLabel="Older events" />
    </section>
  );
}
