import type { AuditEventItem, BlockIdUser } from "../../../src/features/admin/block-ids";
import type { BlockIdRow, Place } from "../../../src/features/location";
import { BlockId } from "../../components/BlockId";
import { DataTable } from "../../components/DataTable";
import { Time } from "../../components/Time";
import { AuditTable } from "../fragments/AuditTable";
import { Pager } from "../fragments/Pager";
import { numberPageHref, placeText, sourceLabel } from "./labels";
import { MoveForm, type MoveFormProps } from "./MoveForm";

export type HistoryEntry = BlockIdRow & { place: Place | null };

export interface UserBlockIdPanelProps {
  user: BlockIdUser;
  /** Every Block ID the user has had, the current one first. */
  history: HistoryEntry[];
  move: Omit<MoveFormProps, "userId">;
  /** After a move: the number that was retired and the one issued. */
  notice?: { from: string | null; to: string } | null;
  audit: { events: AuditEventItem[]; olderHref: string | null; newestHref: string | null };
}

function Current(props: { user: BlockIdUser }) {
  const { user } = props;
  return (
    <section class="card" aria-labelledby="current-heading">
      <h2 id="current-heading">Current Block ID</h2>
      <dl class="facts">
        <dt>Block ID</dt>
        <dd data-current-block-id={user.blockId ?? ""}>
          <BlockId value={user.blockId} />
        </dd>
        <dt>Place</dt>
        <dd>{placeText(user.place)}</dd>
        <dt>Source</dt>
        <dd>{sourceLabel(user.source)}</dd>
        <dt>Issued</dt>
        <dd>{user.issuedAt === null ? <span class="muted">—</span> : <Time at={user.issuedAt} />}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
      </dl>
    </section>
  );
}

function History(props: { history: HistoryEntry[] }) {
  return (
    <section class="card results" aria-labelledby="history-heading">
      <h2 id="history-heading">Block ID history</h2>
      {props.history.length === 0 ? (
        <p class="muted">No Block ID has been issued to this user.</p>
      ) : (
        <DataTable columns={["Block ID", "Place", "Source", "Issued", "Retired", { label: "Links", hidden: true }]} caption="Every Block ID of this user, the current one first">
          {props.history.map((entry) => (
            <tr data-history={entry.value}>
              <th scope="row">
                <BlockId value={entry.value} />
              </th>
              <td>{placeText(entry.place)}</td>
              <td>{sourceLabel(entry.source)}</td>
              <td>
                <Time at={entry.issuedAt} />
              </td>
              <td>{entry.retiredAt === null ? <span class="badge">Current</span> : <Time at={entry.retiredAt} />}</td>
              <td>
                <a href={numberPageHref(entry.value)} aria-label={`History of ${entry.value}`}>
                  Number history
                </a>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/** Everything on a user's Block ID page below the heading: what a move or a page of events swaps. */
export function UserBlockIdPanel(props: UserBlockIdPanelProps) {
  const { user, notice, audit } = props;
  return (
    <div id="block-id-user" class="block-id-user">
      {notice ? (
        <p class="form-message success" role="status" data-notice="moved">
          {"Moved. Block ID "}
          {notice.from ? <code>{notice.from}</code> : "(none)"}
          {" → "}
          <code>{notice.to}</code>
        </p>
      ) : null}
      <Current user={user} />
      <section class="card" aria-labelledby="move-heading">
        <h2 id="move-heading">Move to another town</h2>
        <MoveForm userId={user.id} {...props.move} />
      </section>
      <History history={props.history} />
      <section id="user-audit" class="card results" aria-labelledby="user-audit-heading">
        <h2 id="user-audit-heading">Audit events</h2>
        <p class="hint">Events about this user or their Block IDs, and what they did themselves; newest first.</p>
        {audit.events.length === 0 ? <p class="muted">No audit events.</p> : <AuditTable rows={audit.events} caption="Audit events about this user, newest first" />}
        <Pager label="Audit pages" target="#block-id-user" previous={audit.newestHref} previousLabel="Newest" next={audit.olderHref} nextLabel="Older events" />
      </section>
    </div>
  );
}
