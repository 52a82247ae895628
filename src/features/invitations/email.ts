import type { MailMessage } from "../mailer";
import type { ScopeKind } from "./scope";

export interface InvitationEmail {
  to: string;
  kind: ScopeKind;
  placeName: string;
  inviterName: string;
  role: string;
  department: string | null;
  position: string | null;
  link: string;
  expiresAt: number;
}

const utc = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** The invitation email: who invites you where, as what, and the one-time link. Plain text. */
export function invitationMessage(invite: InvitationEmail): MailMessage {
  const place = invite.kind === "business" ? `${invite.placeName}` : `the household ${invite.placeName}`;
  const placement = [invite.department ? `in ${invite.department}` : null, invite.position ? `as ${invite.position}` : null].filter(Boolean).join(", ");
  const text = [
    "Hello,",
    "",
    `${invite.inviterName} invited you to join ${place} on Block on Block with the role ${invite.role}${placement ? ` (${placement})` : ""}.`,
    "",
    "Accept or decline the invitation here:",
    invite.link,
    "",
    `The link works once and expires on ${utc(invite.expiresAt)}. To accept, sign in (or create an account) with this address: ${invite.to}.`,
    "",
    "If you did not expect this invitation, you can ignore this email.",
  ].join("\n");
  return { to: invite.to, subject: `${invite.inviterName} invited you to ${invite.placeName} on Block on Block`, text };
}

/** An invitation link on `baseUrl` (PUBLIC_URL). */
export function invitationLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/invitations/${token}`;
}
