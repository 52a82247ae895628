// Test support for the members tests: people, a business, and memberships inserted directly
// (invitations are another feature's work).
import { expect } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, businessMembers } from "../../db/schema";
import { Browser, loginToken, registerUser, strongPassword, type TestApp } from "../../test/app";
import type { BusinessRole } from "./schema";

export interface Person {
  id: string;
  email: string;
  token: string;
}

let counter = 0;

export async function person(t: TestApp, name: string): Promise<Person> {
  const email = `user${++counter}.${name.toLowerCase().replace(/[^a-z0-9]+/g, "")}@example.com`;
  const user = await registerUser(t.app, email, name);
  return { id: user.id, email, token: await loginToken(t.app, email) };
}

export function api(t: TestApp, who: Person | string, path: string, init: { method?: string; json?: unknown } = {}) {
  const token = typeof who === "string" ? who : who.token;
  return t.app.request(path, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${token}`, ...(init.json === undefined ? {} : { "content-type": "application/json" }) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
}

/** A new business owned by `owner`, with the others added in the given roles. */
export async function business(t: TestApp, owner: Person, others: [Person, BusinessRole][] = [], name = "Acme Ltd"): Promise<string> {
  const response = await api(t, owner, "/api/businesses", { method: "POST", json: { name, kind: "company" } });
  expect(response.status).toBe(201);
  const { business } = (await response.json()) as { business: { id: string } };
  for (const [who, role] of others) await addMember(t, business.id, who, role);
  return business.id;
}

export async function addMember(t: TestApp, businessId: string, who: Person, role: BusinessRole) {
  await t.deps.db.insert(businessMembers).values({ businessId, userId: who.id, role, joinedAt: t.deps.now() });
}

export async function roleOf(t: TestApp, businessId: string, who: Person) {
  const [row] = await t.deps.db
    .select()
    .from(businessMembers)
    .where(and(eq(businessMembers.businessId, businessId), eq(businessMembers.userId, who.id)));
  return row ?? null;
}

export async function auditFor(t: TestApp, businessId: string, action?: string) {
  const rows = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.targetId, businessId));
  return action ? rows.filter((r) => r.action === action) : rows;
}

export async function signedIn(t: TestApp, who: Person) {
  const browser = new Browser(t.app);
  expect((await browser.request("/login", { method: "POST", form: { email: who.email, password: strongPassword } })).status).toBe(303);
  return browser;
}
