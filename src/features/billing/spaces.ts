// The space a bill is for, as the person asking sees it: a business (its owners and admins pay), a household (its
// owners pay) or one's own personal space. Anyone else gets the same 404 as for a space that does not exist.
import type { Db } from "../../db/types";
import { AppError } from "../../lib/errors";
import { householdMemberCount, householdNames, listHouseholdMembers, requireHouseholdMembership } from "../households";
import { businessCounts, businessNames, requireMembership, selectMembers } from "../workspace";
import type { SpaceKind } from "./plans";

export interface SpaceRef {
  kind: SpaceKind;
  id: string;
}

export interface BillingSpace extends SpaceRef {
  /** "business:<id>", "household:<id>", "personal:<user id>": what Stripe's metadata and our rows name. */
  context: string;
  name: string;
  /** Members now: the quantity of a per-member price. */
  seats: number;
  /** May change what the space pays for (else: may see its plan, nothing more). */
  mayPay: boolean;
  /** Where its billing page is. */
  path: string;
}

const KINDS: readonly string[] = ["personal", "business", "household"];
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export const contextText = (ref: SpaceRef) => `${ref.kind}:${ref.id}`;
export const billingPath = (ref: SpaceRef) => `/billing/${ref.kind}/${encodeURIComponent(ref.id)}`;

export function parseContext(text: string): SpaceRef | null {
  const [kind, id, ...rest] = text.split(":");
  if (rest.length || !kind || !id || !KINDS.includes(kind) || !ID.test(id)) return null;
  return { kind: kind as SpaceKind, id };
}

/** Who may pay: the pure rule (business owners and admins, household owners, oneself). */
export function mayPayFor(kind: SpaceKind, role: string | null): boolean {
  if (kind === "personal") return role === "self";
  if (kind === "business") return role === "owner" || role === "admin";
  return role === "owner";
}

const notFound = () => new AppError(404, "not_found", "There is no such space of yours.");

export async function billingSpace(db: Db, userId: string, ref: SpaceRef | null): Promise<BillingSpace> {
  if (!ref) throw notFound();
  const base = { ...ref, context: contextText(ref), path: billingPath(ref) };
  if (ref.kind === "personal") {
    if (ref.id !== userId) throw notFound();
    return { ...base, name: "Your personal space", seats: 1, mayPay: true };
  }
  if (ref.kind === "business") {
    const { business, member } = await requireMembership(db, userId, ref.id);
    const { members } = await businessCounts({ db }, ref.id);
    return { ...base, name: business.name, seats: members, mayPay: mayPayFor("business", member.role) };
  }
  const { household, member } = await requireHouseholdMembership(db, userId, ref.id);
  return { ...base, name: household.name, seats: await householdMemberCount({ db }, ref.id), mayPay: mayPayFor("household", member.role) };
}

export function requirePayer(space: BillingSpace): BillingSpace {
  if (space.mayPay) return space;
  const who = space.kind === "business" ? "the business's owners and admins" : "the household's owners";
  throw new AppError(403, "forbidden", `Only ${who} manage what this space pays for.`);
}

/** Who pays for a space and what it is called: the people told when a payment fails. */
export async function payersOf(db: Db, ref: SpaceRef): Promise<{ name: string; userIds: string[] }> {
  if (ref.kind === "personal") return { name: "your personal space", userIds: [ref.id] };
  if (ref.kind === "business") {
    const [members, names] = await Promise.all([selectMembers(db, ref.id), businessNames(db, { businesses: [ref.id] })]);
    return { name: names.businesses.get(ref.id) ?? "a business", userIds: members.filter((m) => mayPayFor("business", m.role)).map((m) => m.userId) };
  }
  const [members, names] = await Promise.all([listHouseholdMembers({ db }, ref.id), householdNames(db, [ref.id])]);
  return { name: names.get(ref.id) ?? "a household", userIds: members.filter((m) => mayPayFor("household", m.role)).map((m) => m.userId) };
}
