// Who may do what in a conversation, as pure functions of a snapshot: the conversation, and where
// the person stands (their membership of it, or their place in its business or household). The
// service reads the snapshot; these decide. No database, no Hono.
import type { ConversationRow } from "./schema";

/** Where a person stands in the businesses and households that matter to one question. */
export interface Standing {
  userId: string;
  /** A direct or group conversation's members include them. */
  isMember: boolean;
  business?: { role: string; departmentId: string | null; positionId: string | null } | null;
  household?: { role: string; childrenMayPost: boolean } | null;
}

export type ChannelRules = Pick<ConversationRow, "allowedRoles" | "allowedDepartments" | "allowedPositions">;

export const MAX_GROUP_MEMBERS = 50;
export const MAX_MESSAGE_LENGTH = 10_000;
export const MAX_NAME_LENGTH = 80;

/** Business channel rules, as module tabs apply them: each non-empty list must name the member's role, department, position. */
export function admitsToChannel(rules: ChannelRules, place: NonNullable<Standing["business"]>): boolean {
  if (rules.allowedRoles.length && !rules.allowedRoles.includes(place.role)) return false;
  if (rules.allowedDepartments.length && !(place.departmentId && rules.allowedDepartments.includes(place.departmentId))) return false;
  if (rules.allowedPositions.length && !(place.positionId && rules.allowedPositions.includes(place.positionId))) return false;
  return true;
}

export function mayRead(conversation: Pick<ConversationRow, "kind" | "contextType"> & ChannelRules, who: Standing): boolean {
  if (conversation.kind !== "channel") return who.isMember;
  if (conversation.contextType === "business") return !!who.business && (isBusinessAdmin(who) || admitsToChannel(conversation, who.business));
  return !!who.household;
}

/** Reading is not posting: archived conversations are read-only, and a household's children post only when its policy allows. */
export function mayPost(conversation: Pick<ConversationRow, "kind" | "contextType" | "archivedAt"> & ChannelRules, who: Standing): PostRefusal | null {
  if (!mayRead(conversation, who)) return "not_found";
  if (conversation.archivedAt !== null) return "archived";
  if (conversation.kind === "channel" && conversation.contextType === "household" && who.household?.role === "child" && !who.household.childrenMayPost) return "read_only";
  return null;
}
export type PostRefusal = "not_found" | "archived" | "read_only";

/** Renaming and archiving: a group's members; a channel's business admins and owners, or its household's owners and adults. */
export function mayManage(conversation: Pick<ConversationRow, "kind" | "contextType">, who: Standing): boolean {
  if (conversation.kind === "direct") return false;
  if (conversation.kind === "group") return who.isMember;
  if (conversation.contextType === "business") return isBusinessAdmin(who);
  return who.household?.role === "owner" || who.household?.role === "adult";
}

/** Deleting anyone's message: business admins and owners, in their business's channels (audited). */
export function mayModerate(conversation: Pick<ConversationRow, "kind" | "contextType">, who: Standing): boolean {
  return conversation.kind === "channel" && conversation.contextType === "business" && isBusinessAdmin(who);
}

/** Creating a channel: business admins and owners; household owners and adults. */
export function mayCreateChannel(who: Pick<Standing, "business" | "household">): boolean {
  if (who.business) return who.business.role === "owner" || who.business.role === "admin";
  return who.household?.role === "owner" || who.household?.role === "adult";
}

function isBusinessAdmin(who: Standing): boolean {
  return who.business?.role === "owner" || who.business?.role === "admin";
}

/** The key that makes "a second direct conversation with the same person" find the first. */
export function directKey(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/** What is wrong with a group's new member list (empty when nothing), given who may be added (shares a context with the adder). */
export function groupMemberErrors(current: ReadonlySet<string>, adding: readonly string[], reachable: ReadonlySet<string>): string[] {
  const errors: string[] = [];
  const unreachable = adding.filter((id) => !current.has(id) && !reachable.has(id));
  if (unreachable.length) errors.push(`${unreachable.length === 1 ? "One person does" : `${unreachable.length} people do`} not share a business or household with you.`);
  const total = new Set([...current, ...adding]).size;
  if (total > MAX_GROUP_MEMBERS) errors.push(`A group holds at most ${MAX_GROUP_MEMBERS} people (this would make ${total}).`);
  return errors;
}

/** Unicode emoji (with skin tones, joiners and flags), one grapheme, at most 32 UTF-16 units. */
export function isEmoji(value: string): boolean {
  if (value.length === 0 || value.length > 32) return false;
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(value)];
  return graphemes.length === 1 && /^(\p{Extended_Pictographic}|\p{Regional_Indicator})/u.test(value);
}
