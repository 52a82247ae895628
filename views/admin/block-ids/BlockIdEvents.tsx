import type { AuditEventItem } from "../../../src/features/admin/block-ids";
import { AuditTable } from "../fragments/AuditTable";
import { Pager } from "../fragments/Pager";

export interface BlockIdEventsProps {
  events: AuditEventItem[];
  olderHref: string | null;
  newestHref: string | null;
}

/** A number's audit trail and its pager: what the pager's htmx request swaps. */
export function BlockIdEvents(props: BlockIdEventsProps) {
  return (
    <section id="block-id-events" class="card results" aria-labelledby="block-id-events-heading">
      <h2 id="block-id-events-heading">History</h2>
      {props.events.length === 0 ? <p class="muted">No audit events name this number.</p> : <AuditTable rows={props.events} caption="Audit events about this Block ID, newest first" />}
      <Pager label="Audit pages" target="#block-id-events" previous={props.newestHref} previousLabel="Newest" next={props.olderHref} nextLabel="Older events" />
    </section>
  );
}
