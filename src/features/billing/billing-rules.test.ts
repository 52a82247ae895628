// The rules of what a space has, without a database: standing (good, grace, lapsed), the plan a space is on, and
// when a past-due start is kept or cleared.
import { describe, expect, test } from "bun:test";
import { GRACE_MS, holds, moduleSubscription, pastDueSince, planOf, planSubscription, standing, type SubscriptionState } from "./billing-rules";
import { mayPayFor } from "./spaces";

const NOW = Date.UTC(2027, 0, 10);
const sub = (over: Partial<SubscriptionState> = {}): SubscriptionState => ({ id: "sub_1", status: "active", items: [{ priceId: "price_1", quantity: 1, planId: "business_team", moduleId: null }], currentPeriodEnd: NOW + 86_400_000, cancelAtPeriodEnd: false, pastDueSince: null, ...over });

describe("standing", () => {
  test("active and trialing are good; past due is grace until GRACE_MS has passed; everything else has lapsed", () => {
    expect(standing(sub(), NOW)).toBe("good");
    expect(standing(sub({ status: "trialing" }), NOW)).toBe("good");
    expect(standing(sub({ status: "past_due", pastDueSince: NOW - GRACE_MS + 1 }), NOW)).toBe("grace");
    expect(standing(sub({ status: "past_due", pastDueSince: NOW - GRACE_MS }), NOW)).toBe("lapsed");
    for (const status of ["unpaid", "canceled", "incomplete", "incomplete_expired", "paused"]) expect(holds(sub({ status }), NOW)).toBe(false);
  });

  test("the past-due start: set when it becomes past due, kept while it stays, cleared when it is paid", () => {
    expect(pastDueSince(null, "past_due", NOW)).toBe(NOW);
    expect(pastDueSince({ status: "active", pastDueSince: null }, "past_due", NOW)).toBe(NOW);
    expect(pastDueSince({ status: "past_due", pastDueSince: NOW - 5 }, "past_due", NOW)).toBe(NOW - 5);
    expect(pastDueSince({ status: "past_due", pastDueSince: NOW - 5 }, "active", NOW)).toBeNull();
  });
});

describe("the plan a space is on", () => {
  test("the paid plan of a subscription that holds, else its kind's free plan", () => {
    expect(planOf("business", [], NOW).plan.id).toBe("business_free");
    expect(planOf("business", [sub()], NOW)).toMatchObject({ plan: { id: "business_team" }, standing: "good", graceEndsAt: null });
    expect(planOf("business", [sub({ status: "past_due", pastDueSince: NOW - 1000 })], NOW)).toMatchObject({ plan: { id: "business_team" }, standing: "grace", graceEndsAt: NOW - 1000 + GRACE_MS });
    expect(planOf("business", [sub({ status: "canceled" })], NOW).plan.id).toBe("business_free");
    // A plan of another kind of space never applies (a metadata mix-up cannot hand out a business plan).
    expect(planOf("household", [sub()], NOW).plan.id).toBe("household_free");
  });

  test("the subscription a plan change or a module's checkout looks at: any not over", () => {
    const moduleSub = sub({ id: "sub_2", items: [{ priceId: "price_m", quantity: 3, planId: null, moduleId: "mod_1" }] });
    expect(planSubscription([moduleSub, sub({ status: "past_due", pastDueSince: 0 })])?.id).toBe("sub_1");
    expect(planSubscription([sub({ status: "canceled" })])).toBeNull();
    expect(moduleSubscription([sub(), moduleSub], "mod_1")?.id).toBe("sub_2");
    expect(moduleSubscription([sub(), moduleSub], "mod_2")).toBeNull();
  });
});

test("who may pay: a business's owners and admins, a household's owners, oneself", () => {
  expect(["owner", "admin", "manager", "member", null].map((r) => mayPayFor("business", r))).toEqual([true, true, false, false, false]);
  expect(["owner", "adult", "child", null].map((r) => mayPayFor("household", r))).toEqual([true, false, false, false]);
  expect(mayPayFor("personal", "self")).toBe(true);
});
