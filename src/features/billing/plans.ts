// What the platform sells, as configuration: each kind of space has a free plan and paid ones, with their limits
// (members, installed modules, stored bytes) and monthly prices in minor units. `npm run billing:sync` makes Stripe's
// products and prices match (sync.ts), found again by their lookup keys so that running it twice changes nothing.
/** The kinds of space a plan is for. */
export type SpaceKind = "personal" | "business" | "household";

export interface PlanLimits {
  /** Members of the space (a personal space has one). */
  seats: number;
  /** Marketplace modules installed at once. */
  modules: number;
  storageBytes: number;
}

export interface Plan {
  /** Stable: the Stripe product's id is `bob_plan_<id>`, its price's lookup key `bob_plan_<id>_monthly`. */
  id: string;
  context: SpaceKind;
  name: string;
  /** Monthly, in minor units of `currency`; 0 for the free plan (nothing in Stripe). */
  monthlyAmount: number;
  currency: "usd";
  limits: PlanLimits;
}

const GB = 1024 ** 3;

export const PLANS: readonly Plan[] = Object.freeze([
  { id: "business_free", context: "business", name: "Free", monthlyAmount: 0, currency: "usd", limits: { seats: 5, modules: 2, storageBytes: 1 * GB } },
  { id: "business_team", context: "business", name: "Team", monthlyAmount: 2900, currency: "usd", limits: { seats: 25, modules: 10, storageBytes: 25 * GB } },
  { id: "business_business", context: "business", name: "Business", monthlyAmount: 9900, currency: "usd", limits: { seats: 250, modules: 50, storageBytes: 250 * GB } },
  { id: "household_free", context: "household", name: "Free", monthlyAmount: 0, currency: "usd", limits: { seats: 6, modules: 2, storageBytes: 2 * GB } },
  { id: "household_family", context: "household", name: "Family", monthlyAmount: 599, currency: "usd", limits: { seats: 12, modules: 10, storageBytes: 50 * GB } },
  { id: "personal_free", context: "personal", name: "Free", monthlyAmount: 0, currency: "usd", limits: { seats: 1, modules: 3, storageBytes: 1 * GB } },
  { id: "personal_plus", context: "personal", name: "Plus", monthlyAmount: 399, currency: "usd", limits: { seats: 1, modules: 20, storageBytes: 20 * GB } },
]);

export const productId = (plan: Pick<Plan, "id">) => `bob_plan_${plan.id}`;
export const priceLookupKey = (plan: Pick<Plan, "id">) => `bob_plan_${plan.id}_monthly`;

/** The plan a space has without a subscription. */
export function freePlan(context: SpaceKind, plans: readonly Plan[] = PLANS): Plan {
  const plan = plans.find((p) => p.context === context && p.monthlyAmount === 0);
  if (!plan) throw new Error(`No free plan for ${context} spaces in the configuration`);
  return plan;
}

/** Problems with a plan list (ids unique and plain, one free plan per kind of space, sane amounts); empty when fine. */
export function planProblems(plans: readonly Plan[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const plan of plans) {
    if (!/^[a-z][a-z0-9_]{1,40}$/.test(plan.id)) problems.push(`${plan.id}: ids are lower-case letters, digits and _`);
    if (ids.has(plan.id)) problems.push(`${plan.id}: listed twice`);
    ids.add(plan.id);
    if (!Number.isInteger(plan.monthlyAmount) || plan.monthlyAmount < 0) problems.push(`${plan.id}: the amount is whole minor units, 0 or more`);
  }
  for (const context of ["personal", "business", "household"] as const) {
    const free = plans.filter((p) => p.context === context && p.monthlyAmount === 0).length;
    if (free !== 1) problems.push(`${context}: needs exactly one free plan (has ${free})`);
  }
  return problems;
}

/** The Stripe meter of each usage metric we report (`npm run billing:sync` makes it). */
export const METERS: Record<string, { eventName: string; displayName: string }> = {
  module_api_calls: { eventName: "bob_module_api_calls", displayName: "Module API calls" },
};

/**
 * The metered price every paid plan's subscription carries: module API calls, the first 100,000 a month included,
 * then $1.00 for each 10,000 (a tenth of a cent a call), billed in arrears from the meter.
 */
export const API_CALLS_PRICE = { product: "bob_module_api_calls", lookupKey: "bob_module_api_calls_metered", included: 100_000, centsPerCall: "0.01", currency: "usd" } as const;
