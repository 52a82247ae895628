import { DataTable } from "../../components/DataTable";
import type { AuditListItem } from "../../../src/features/admin/audit-log";
import { Time } from "../../components/Time";

const DETAILS_MAX = 160;

function detailsText(details: Record<string, unknown>): string {
  const text = JSON.stringify(details);
  if (text === "{}") return "";
  return text.length > DETAILS_MAX ? `${text.slice(0, DETAILS_MAX)}…` : text;
}

/** Audit events as a table; the actor links to their own filtered log. */
export function AuditTable(props: { rows: AuditListItem[]; caption: string }) {
  return (
    <DataTable columns={["When", "Actor", "Action", "Target", "Details"]} caption={props.caption}>
      {props.rows.map((event) => (
        <tr data-event={event.id}>
          <td>
            <Time at={event.at} />
          </td>
          <td class="break">
            {event.actorUserId ? (
              <a href={`/admin-portal/audit?actor=${encodeURIComponent(event.actorUserId)}`}>{event.actorEmail ?? event.actorUserId}</a>
            ) : (
              <span class="muted">Nobody signed in</span>
            )}
          </td>
          <td>
            <code>{event.action}</code>
          </td>
          <td class="break">
            {event.targetType}
            {event.targetId ? <span class="muted">{` ${event.targetId}`}</span> : null}
          </td>
          <td class="break">
            <code class="details">{detailsText(event.details)}</code>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
