// How many more invitations may go out now: per sender and per place in the last hour, and new
// addresses per place in the last day. Counted inside the invitation's write transaction (one writer
// at a time), so a burst of parallel sends cannot together pass a limit.
import type { Config } from "../../config";
import type { Tx } from "../../db/types";
import { countHits, recordHit } from "../ratelimit";
import type { InviteScope } from "./scope";

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

type LimitConfig = Pick<Config, "RATE_LIMIT" | "INVITES_PER_USER_PER_HOUR" | "INVITES_PER_PLACE_PER_HOUR" | "INVITE_NEW_ADDRESSES_PER_DAY">;

export interface SendingBudget {
  /** Invitations that may still go out now (Infinity with RATE_LIMIT=off). */
  left: number;
  /** Why the budget ends, for the rows past it. */
  reason: string;
  buckets: string[];
}

const buckets = (actorId: string, scope: Pick<InviteScope, "kind" | "id">) => ({
  user: `invite:user:${actorId}`,
  place: `invite:${scope.kind}:${scope.id}`,
  daily: `invite-new:${scope.kind}:${scope.id}`,
});

/** The smallest of the three budgets left, and which one it is. */
export function planBudget(limits: LimitConfig, used: { user: number; place: number; daily: number }): Omit<SendingBudget, "buckets"> {
  if (limits.RATE_LIMIT === "off") return { left: Infinity, reason: "" };
  const options = [
    { left: limits.INVITES_PER_USER_PER_HOUR - used.user, reason: `You may send ${limits.INVITES_PER_USER_PER_HOUR} invitations an hour; send this one later.` },
    { left: limits.INVITES_PER_PLACE_PER_HOUR - used.place, reason: `This place may send ${limits.INVITES_PER_PLACE_PER_HOUR} invitations an hour; send this one later.` },
    { left: limits.INVITE_NEW_ADDRESSES_PER_DAY - used.daily, reason: `This place may mail ${limits.INVITE_NEW_ADDRESSES_PER_DAY} new addresses a day; send this one tomorrow.` },
  ];
  const tightest = options.reduce((a, b) => (b.left < a.left ? b : a));
  return { left: Math.max(0, tightest.left), reason: tightest.reason };
}

export async function sendingBudget(tx: Tx, limits: LimitConfig, now: number, actorId: string, scope: Pick<InviteScope, "kind" | "id">): Promise<SendingBudget> {
  const b = buckets(actorId, scope);
  if (limits.RATE_LIMIT === "off") return { left: Infinity, reason: "", buckets: [] };
  const used = {
    user: await countHits(tx, now, b.user, HOUR_MS),
    place: await countHits(tx, now, b.place, HOUR_MS),
    daily: await countHits(tx, now, b.daily, DAY_MS),
  };
  return { ...planBudget(limits, used), buckets: [b.user, b.place, b.daily] };
}

/** Counts `sent` invitations against every budget (in the same transaction as the invitations). */
export async function spendBudget(tx: Tx, budget: SendingBudget, now: number, sent: number): Promise<void> {
  for (let i = 0; i < sent; i++) await recordHit(tx, now, budget.buckets);
}
