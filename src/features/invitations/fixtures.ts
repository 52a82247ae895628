// Test support for the invitations tests: people, places and memberships set up directly, and
// helpers to read what the mailer recorded.
import { expect } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, businessMembers, householdMembers, outbox } from "../../db/schema";
import { Browser, loginToken, registerUser, strongPassword, type TestApp } from "../../test/app";
import type { HouseholdRole } from "../households";
import type { BusinessRole } from "../workspace";

export interface Person {
  id: string;
  email: string;
  name: string;
  token: string;
}

let counter = 0;

/** A registered user with a fresh address (`<name><n>@example.com`) and an API token. */
export async function person(t: TestApp, name: string): Promise<Person> {
  const email = `${name.toLowerCase()}${++counter}@example.com`;
  const user = await registerUser(t.app, email, name);
  return { id: user.id, email, name, token: await loginToken(t.app, email) };
}

export function api(t: TestApp, who: Person, path: string, init: { method?: string; json?: unknown } = {}) {
  return t.app.request(path, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${who.token}`, ...(init.json === undefined ? {} : { "content-type": "application/json" }) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
}

export async function business(t: TestApp, owner: Person, name = "Acme Ltd"): Promise<string> {
  const response = await api(t, owner, "/api/businesses", { method: "POST", json: { name, kind: "company" } });
  expect(response.status).toBe(201);
  return ((await response.json()) as { business: { id: string } }).business.id;
}

export async function household(t: TestApp, owner: Person, name = "The Okafors"): Promise<string> {
  const browser = await signedIn(t, owner);
  const response = await browser.request("/households/new", { method: "POST", form: { name } });
  expect(response.status).toBe(303);
  return response.headers.get("location")!.split("/").pop()!;
}

export async function addBusinessMember(t: TestApp, businessId: string, who: Person, role: BusinessRole) {
  await t.deps.db.insert(businessMembers).values({ businessId, userId: who.id, role, joinedAt: t.deps.now() });
}

export async function addHouseholdMember(t: TestApp, householdId: string, who: Person, role: HouseholdRole) {
  await t.deps.db.insert(householdMembers).values({ householdId, userId: who.id, role, joinedAt: t.deps.now() });
}

export async function unit(t: TestApp, owner: Person, businessId: string, kind: "department" | "position", name: string) {
  const { createUnit } = await import("../workspace/service");
  return createUnit(t.deps, owner.id, businessId, kind, name, { ipAddress: "127.0.0.1", userAgent: "test", requestId: "test" });
}

export async function signedIn(t: TestApp, who: Pick<Person, "email">) {
  const browser = new Browser(t.app);
  const response = await browser.request("/login", { method: "POST", form: { email: who.email, password: strongPassword } });
  expect(response.status).toBe(303);
  return browser;
}

/** The messages recorded for one address, oldest first. */
export async function mailTo(t: TestApp, email: string) {
  const rows = await t.deps.db.select().from(outbox).where(eq(outbox.toAddress, email));
  return rows.sort((a, b) => a.createdAt - b.createdAt);
}

/** The invitation path (/invitations/<token>) in a message body. */
export function linkIn(text: string): string {
  const match = /https?:\/\/[^/\s]+(\/invitations\/[a-z2-7]+)/.exec(text);
  if (!match) throw new Error(`no invitation link in: ${text}`);
  return match[1]!;
}

export async function latestLink(t: TestApp, email: string): Promise<string> {
  const messages = await mailTo(t, email);
  expect(messages.length).toBeGreaterThan(0);
  return linkIn(messages.at(-1)!.textBody);
}

export async function auditActions(t: TestApp, targetId: string) {
  const rows = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.targetId, targetId));
  return rows.map((row) => ({ action: row.action, actor: row.actorUserId, details: row.details }));
}

export async function businessRole(t: TestApp, businessId: string, who: Person) {
  const [row] = await t.deps.db.select().from(businessMembers).where(and(eq(businessMembers.businessId, businessId), eq(businessMembers.userId, who.id)));
  return row ?? null;
}

export async function householdRole(t: TestApp, householdId: string, who: Person) {
  const [row] = await t.deps.db.select().from(householdMembers).where(and(eq(householdMembers.householdId, householdId), eq(householdMembers.userId, who.id)));
  return row?.role ?? null;
}

export { strongPassword };
