// Test support shared by the feature suites: people (registered, with an API token), the places
// they belong to (businesses, households, departments and positions), memberships set up directly,
// and the audit trail of a place. Built on src/test/app.ts.
import { expect } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, billingSubscriptions, businessMembers, householdMembers } from "../schema";
import type { HouseholdRole } from "../features/households";
import { createUnit, type BusinessRole } from "../features/workspace";
import { bearerRequest, loginToken, registerUser, signedInBrowser, type TestApp } from "./app";

export interface Person {
  id: string;
  email: string;
  name: string;
  /** A bearer token for the JSON API. */
  token: string;
}

let counter = 0;

/** A registered user with a fresh address (`user<n>.<name>@example.com`) and an API token. */
export async function person(t: TestApp, name: string, options: { verified?: boolean } = {}): Promise<Person> {
  const email = `user${++counter}.${name.toLowerCase().replace(/[^a-z0-9]+/g, "")}@example.com`;
  const user = await registerUser(t.app, email, name, undefined, options);
  return { id: user.id, email, name, token: await loginToken(t.app, email) };
}

/** A JSON API request as this person (or as the holder of a bare token). */
export function api(t: TestApp, who: Person | string, path: string, init: { method?: string; json?: unknown } = {}) {
  return bearerRequest(t.app, typeof who === "string" ? who : who.token, path, init);
}

/** A Browser signed in as this person through the sign-in form. */
export function signedIn(t: TestApp, who: Pick<Person, "email">) {
  return signedInBrowser(t.app, who.email);
}

/** A new company owned by `owner`, with the others added in the given roles. */
export async function business(t: TestApp, owner: Person, others: [Person, BusinessRole][] = [], name = "Acme Ltd"): Promise<string> {
  const response = await api(t, owner, "/api/businesses", { method: "POST", json: { name, kind: "company" } });
  expect(response.status).toBe(201);
  const { business } = (await response.json()) as { business: { id: string } };
  for (const [who, role] of others) await addBusinessMember(t, business.id, who, role);
  return business.id;
}

/** Adds a member directly (joining is the invitations feature's work). */
export async function addBusinessMember(t: TestApp, businessId: string, who: Person, role: BusinessRole) {
  await t.deps.db.insert(businessMembers).values({ businessId, userId: who.id, role, joinedAt: t.deps.now() });
}

/** The person's business_members row, or null when they are not a member. */
export async function roleOf(t: TestApp, businessId: string, who: Person) {
  const [row] = await t.deps.db
    .select()
    .from(businessMembers)
    .where(and(eq(businessMembers.businessId, businessId), eq(businessMembers.userId, who.id)));
  return row ?? null;
}

/** A department or position, made by `owner` (an admin or owner of the business). */
export function unit(t: TestApp, owner: Person, businessId: string, kind: "department" | "position", name: string) {
  return createUnit(t.deps, owner.id, businessId, kind, name, { ipAddress: "127.0.0.1", userAgent: "test", requestId: "test" });
}

/** A new household owned by `owner`, made through the form as a person would. */
export async function household(t: TestApp, owner: Person, name = "The Okafors"): Promise<string> {
  const browser = await signedIn(t, owner);
  const response = await browser.request("/households/new", { method: "POST", form: { name } });
  expect(response.status).toBe(303);
  return response.headers.get("location")!.split("/").pop()!;
}

export async function addHouseholdMember(t: TestApp, householdId: string, who: Person, role: HouseholdRole) {
  await t.deps.db.insert(householdMembers).values({ householdId, userId: who.id, role, joinedAt: t.deps.now() });
}

/** The person's role in the household, or null when they are not a member. */
export async function householdRole(t: TestApp, householdId: string, who: Person) {
  const [row] = await t.deps.db
    .select()
    .from(householdMembers)
    .where(and(eq(householdMembers.householdId, householdId), eq(householdMembers.userId, who.id)));
  return row?.role ?? null;
}

/** The audit events about a place (all, or those of one action). */
export async function auditFor(t: TestApp, targetId: string, action?: string) {
  const rows = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.targetId, targetId));
  return action ? rows.filter((r) => r.action === action) : rows;
}

/** The same, as action, actor and details. */
export async function auditActions(t: TestApp, targetId: string) {
  return (await auditFor(t, targetId)).map((row) => ({ action: row.action, actor: row.actorUserId, details: row.details }));
}

/** The JSON body of a response that must have `status` (the body in the error when it has not). */
export async function json<T = any>(response: Response | Promise<Response>, status: number): Promise<T> {
  const r = await response;
  const body = await r.text();
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${body}`);
  return (body ? JSON.parse(body) : null) as T;
}

/**
 * Puts a space on a paid plan as if Stripe had said so (an active subscription row, no Stripe involved): for tests
 * of other features that need more than the free plan's limits. Billing's own tests go through Stripe's fake.
 */
export async function onPaidPlan(t: TestApp, context: string, planId: string) {
  await t.deps.db.insert(billingSubscriptions).values({
    id: `sub_fixture_${context.replace(/[^a-z0-9]/gi, "_")}`,
    context,
    stripeCustomerId: "cus_fixture",
    status: "active",
    items: [{ priceId: "price_fixture", quantity: 1, planId, moduleId: null }],
    currentPeriodEnd: t.deps.now() + 30 * 86_400_000,
    cancelAtPeriodEnd: false,
    pastDueSince: null,
    updatedAt: t.deps.now(),
  });
}
