import type { BlockIdRecord } from "../../../src/features/admin/block-ids";
import { BlockId } from "../../components/BlockId";
import { Time } from "../../components/Time";
import { AdminLayout } from "../AdminLayout";
import { BlockIdEvents, type BlockIdEventsProps } from "./BlockIdEvents";
import { placeText, sourceLabel, userPageHref } from "./labels";

/** /admin-portal/block-ids/:value: one number, who holds or held it, and its audit trail. */
export function BlockIdRecordPage(props: { record: BlockIdRecord; events: BlockIdEventsProps }) {
  const { record } = props;
  return (
    <AdminLayout section="block-ids" title={`Block ID ${record.value}`}>
      <p>
        <a href="/admin-portal/block-ids">All Block IDs</a>
      </p>
      <section class="card" aria-label="This Block ID">
        <dl class="facts">
          <dt>Block ID</dt>
          <dd>
            <BlockId value={record.value} />
          </dd>
          <dt>Status</dt>
          <dd data-status={record.retiredAt === null ? "current" : "retired"}>
            {record.retiredAt === null ? <span class="badge">Current</span> : <span class="badge danger">Retired</span>}
          </dd>
          <dt>{record.retiredAt === null ? "Held by" : "Was held by"}</dt>
          <dd>
            <a href={userPageHref(record.userId)}>{record.userName}</a> <span class="muted">{record.userEmail}</span>
          </dd>
          <dt>Place</dt>
          <dd>{placeText(record.place)}</dd>
          <dt>Source</dt>
          <dd>{sourceLabel(record.source)}</dd>
          <dt>Issued</dt>
          <dd>
            <Time at={record.issuedAt} />
          </dd>
          <dt>Retired</dt>
          <dd>{record.retiredAt === null ? <span class="muted">Not retired</span> : <Time at={record.retiredAt} />}</dd>
        </dl>
        {record.retiredAt !== null ? <p class="hint">A retired number is kept here and never issued again.</p> : null}
      </section>
      <BlockIdEvents {...props.events} />
    </AdminLayout>
  );
}
