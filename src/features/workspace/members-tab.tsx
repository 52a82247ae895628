import { MembersPanel } from "../../../views/members/MembersPanel";
import type { MembersPanelProps } from "../../../views/members/types";
import type { AppContext } from "../../http/types";
import type { Membership } from "./access";
import { listMembers } from "./members";
import { listUnits } from "./service";
import type { TabRenderer } from "./tab-content";

/** Fixed texts behind `?notice=` after a plain form post redirected back to the tab. */
export const MEMBER_NOTICES = {
  "member-saved": "The member is saved.",
  "bulk-updated": "The selected members are updated.",
  removed: "The members are removed.",
  "unit-saved": "Saved.",
  "unit-deleted": "Deleted. Members in it now have none.",
} as const;
export type MemberNotice = keyof typeof MEMBER_NOTICES;

export function noticeText(key: string | undefined): string | null {
  return key && Object.hasOwn(MEMBER_NOTICES, key) ? MEMBER_NOTICES[key as MemberNotice] : null;
}

/** What the members panel shows to this member (the caller's membership is already checked). */
export async function loadMembersPanel(c: AppContext, { business, member }: Membership): Promise<MembersPanelProps> {
  const deps = c.var.deps;
  const [members, departments, positions] = await Promise.all([
    listMembers(deps, member.userId, business.id),
    listUnits(deps, business.id, "department"),
    listUnits(deps, business.id, "position"),
  ]);
  return { businessId: business.id, businessName: business.name, me: { userId: member.userId, role: member.role }, members, departments, positions };
}

/**
 * The members tab: the member table (checkboxes and per-row edit for admins, read-only for
 * managers and members), bulk changes, and the departments and positions for admins.
 */
export const membersTab: TabRenderer = async (c, membership) => {
  const props = await loadMembersPanel(c, membership);
  return <MembersPanel {...props} notice={noticeText(c.req.query("notice"))} />;
};
