import type { InvitationSummary, BatchResult } from "../../src/features/invitations/service";
import { FormMessage, type FieldErrors } from "../components/Field";
import { InviteForm } from "./fragments/InviteForm";
import { InviteResults } from "./fragments/InviteResults";
import { PendingList } from "./fragments/PendingList";
import { ScopeNav, scopeBase, type ScopeRef } from "./ScopeNav";

export interface InvitationsPanelProps {
  scope: ScopeRef & { grantable: string[]; defaultRole: string };
  departments: string[];
  positions: string[];
  pending: InvitationSummary[];
  smtp: boolean;
  result?: BatchResult | null;
  values?: { text?: string; defaultRole?: string };
  errors?: FieldErrors;
  message?: { kind: "error" | "success"; text: string } | null;
}

/** What the invite form swaps: the message or results, the form, and the pending list. */
export function InvitationsPanel(props: InvitationsPanelProps) {
  const base = `${scopeBase(props.scope)}/invitations`;
  return (
    <div id="invitations-panel" class="invitations-panel">
      {props.message ? <FormMessage kind={props.message.kind} message={props.message.text} /> : null}
      {props.result ? <InviteResults result={props.result} outboxHref={`${scopeBase(props.scope)}/outbox`} /> : null}
      <InviteForm
        action={base}
        kind={props.scope.kind}
        roles={props.scope.grantable}
        defaultRole={props.scope.defaultRole}
        departments={props.departments}
        positions={props.positions}
        values={props.values}
        errors={props.errors}
      />
      <PendingList base={base} invitations={props.pending} />
    </div>
  );
}

export function InvitationsPage(props: InvitationsPanelProps) {
  return (
    <section class="invitations-page">
      <ScopeNav scope={props.scope} current="invitations" />
      <h1>Invitations</h1>
      <p class="muted">
        Each invitation is a link that works once, for the address it was sent to.{" "}
        {props.smtp ? "Emails go out through the mail server." : "No mail server is configured: emails wait in the outbox, where you can copy each link."}
      </p>
      <InvitationsPanel {...props} />
    </section>
  );
}
