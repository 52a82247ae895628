// Invitation sending limits, tried as a spammer with a stolen admin account would: bursts of parallel
// sends, one big list, re-sends, two admins of one place at once.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { invitations } from "../../schema";
import { createTestApp, type TestApp } from "../../test/app";
import { addBusinessMember, api, business, person, type Person, onPaidPlan } from "../../test/people";
import type { BatchResult } from "./service";
import { planBudget } from "./sending-limits";

describe("the budget, without a database", () => {
  const limits = { RATE_LIMIT: "on" as const, INVITES_PER_USER_PER_HOUR: 10, INVITES_PER_PLACE_PER_HOUR: 20, INVITE_NEW_ADDRESSES_PER_DAY: 30 };
  test("the tightest of the three limits wins, and says which it is", () => {
    expect(planBudget(limits, { user: 0, place: 0, daily: 0 }).left).toBe(10);
    expect(planBudget(limits, { user: 2, place: 15, daily: 0 })).toMatchObject({ left: 5, reason: expect.stringContaining("This place may send 20") });
    expect(planBudget(limits, { user: 0, place: 0, daily: 29 })).toMatchObject({ left: 1, reason: expect.stringContaining("new addresses a day") });
    expect(planBudget(limits, { user: 50, place: 0, daily: 0 }).left).toBe(0);
    expect(planBudget({ ...limits, RATE_LIMIT: "off" }, { user: 50, place: 50, daily: 50 }).left).toBe(Infinity);
  });
});

describe("over HTTP", () => {
  let t: TestApp;
  let owner: Person;
  let admin: Person;
  let acme: string;
  beforeAll(async () => {
    t = await createTestApp({ INVITES_PER_USER_PER_HOUR: "6", INVITES_PER_PLACE_PER_HOUR: "10", INVITE_NEW_ADDRESSES_PER_DAY: "12" });
    owner = await person(t, "Olga");
    admin = await person(t, "Adam");
    acme = await business(t, owner);
    await onPaidPlan(t, `business:${acme}`, "business_business"); // the sending limits, not the plan's seats
    await addBusinessMember(t, acme, admin, "admin");
  });
  afterAll(() => t.close());

  const invite = (who: Person, emails: string[]) =>
    api(t, who, `/api/businesses/${acme}/members/invitations`, { method: "POST", json: { invitations: emails.map((email) => ({ email, role: "member" })) } });
  const sent = async () => (await t.deps.db.select().from(invitations).where(eq(invitations.businessId, acme))).length;

  test("a list longer than the sender's hourly limit: the rest of the rows say why, nothing past the limit is created", async () => {
    const response = await invite(owner, Array.from({ length: 9 }, (_, i) => `list-${i}@example.com`));
    expect(response.status).toBe(201);
    const result = (await response.json()) as BatchResult;
    expect(result.created).toBe(6);
    expect(result.rows.slice(6).every((r) => !r.ok && r.errors[0]!.code === "rate_limited" && r.errors[0]!.message.includes("6 invitations an hour"))).toBe(true);
    expect(await sent()).toBe(6);
  });

  test("a burst of parallel sends by another admin cannot pass the place's hourly limit together", async () => {
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => invite(admin, [`burst-${i}@example.com`])));
    const created = (await Promise.all(burst.map(async (r) => ((await r.json()) as BatchResult).created))).reduce((a, b) => a + b, 0);
    // The place had 10 an hour and 6 went out above.
    expect(created).toBe(4);
    expect(await sent()).toBe(10);
  });

  test("re-sending counts too, and is refused with 429 once the hour is spent", async () => {
    const [pending] = await t.deps.db.select().from(invitations).where(eq(invitations.businessId, acme));
    const resend = await api(t, owner, `/api/businesses/${acme}/members/invitations/${pending!.id}/resend`, { method: "POST" });
    expect(resend.status).toBe(429);
    expect(((await resend.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
  });

  test("after the hour, the daily cap of new addresses still holds", async () => {
    t.advance(3600_000 + 1000);
    const result = (await (await invite(owner, ["day-1@example.com", "day-2@example.com", "day-3@example.com", "day-4@example.com"])).json()) as BatchResult;
    expect(result.created).toBe(2);
    expect(result.rows[2]!.errors[0]!.message).toContain("12 new addresses a day");
    t.advance(24 * 3600_000);
    expect(((await (await invite(owner, ["next-day@example.com"])).json()) as BatchResult).created).toBe(1);
  });
});
