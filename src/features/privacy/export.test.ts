// Export completeness: data made through the real API in every registered feature shows up in that
// feature's export of the person — and nothing of anyone else's does.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { PERSONAL_DATA } from "../../personal-data";
import { createTestApp, type TestApp } from "../../test/app";
import { api, business, household, person, type Person } from "../../test/people";

let t: TestApp;
let ada: Person;
let bob: Person;
let exported: Record<string, Record<string, any>>;
const made: Record<string, string> = {};

async function json(response: Response | Promise<Response>, status: number) {
  const r = await response;
  const body = await r.text();
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${body}`);
  return body ? JSON.parse(body) : null;
}

beforeAll(async () => {
  t = await createTestApp();
  ada = await person(t, "Ada Export");
  bob = await person(t, "Bob Other");
  made.business = await business(t, ada, [[bob, "member"]], "Export Ltd");
  made.household = await household(t, ada, "Export home");
  await json(api(t, ada, `/api/businesses/${made.business}/members/invitations`, { method: "POST", json: { invitations: [{ email: "friend@example.com", role: "member" }] } }), 201);
  made.conversation = (await json(api(t, ada, "/api/conversations", { method: "POST", json: { type: "direct", userIds: [bob.id] } }), 201)).conversation.id;
  made.message = (await json(api(t, ada, `/api/conversations/${made.conversation}/messages`, { method: "POST", json: { text: "my own words" } }), 201)).message.id;
  made.bobMessage = (await json(api(t, bob, `/api/conversations/${made.conversation}/messages`, { method: "POST", json: { text: "@adaexport bob's words" } }), 201)).message.id;
  await json(api(t, ada, `/api/messages/${made.bobMessage}/reactions`, { method: "POST", json: { emoji: "👍" } }), 201);
  await json(api(t, ada, "/api/presence/status", { method: "PUT", json: { status: "dnd", text: "exporting" } }), 200);
  const calendars = (await json(api(t, ada, "/api/calendars"), 200)).calendars as Array<{ id: string; contextType: string; contextId: string }>;
  made.calendar = calendars.find((c) => c.contextType === "personal")!.id;
  made.ownEvent = (await json(api(t, ada, `/api/calendars/${made.calendar}/events`, { method: "POST", json: { title: "My dentist", start: "2027-01-05T10:00", end: "2027-01-05T11:00", timeZone: "UTC" } }), 201)).event.id;
  made.workEvent = (await json(api(t, ada, `/api/calendars/${calendars.find((c) => c.contextId === made.business)!.id}/events`, { method: "POST", json: { title: "Team day", start: "2027-01-06", end: "2027-01-07", allDay: true } }), 201)).event.id;
  exported = Object.fromEntries(await Promise.all(PERSONAL_DATA.map(async (source) => [source.feature, await source.exportFor(t.deps.db, ada.id)] as const)));
});
afterAll(() => t.close());

test("every registered feature answers, with JSON that survives a round trip", () => {
  expect(Object.keys(exported).sort()).toEqual(PERSONAL_DATA.map((source) => source.feature).sort());
  for (const part of Object.values(exported)) expect(JSON.parse(JSON.stringify(part))).toEqual(part);
});

test("each item made through the API is in its feature's file", () => {
  expect(exported.auth!.account).toMatchObject({ id: ada.id, email: ada.email, name: "Ada Export", emailVerified: true });
  expect(exported.auth!.sessions.length).toBeGreaterThan(0);
  expect(exported.auth!.addressConfirmations[0].email).toBe(ada.email);
  expect(exported.workspace!.memberships).toEqual([expect.objectContaining({ businessId: made.business, role: "owner" })]);
  expect(exported.workspace!.businessesCreated.map((b: { id: string }) => b.id)).toEqual([made.business]);
  expect(exported.households!.memberships).toEqual([expect.objectContaining({ householdId: made.household, role: "owner" })]);
  expect(exported.invitations!.sent).toEqual([expect.objectContaining({ email: "friend@example.com", businessId: made.business })]);
  expect(exported.mailer!.messages.some((m: { to: string }) => m.to === ada.email)).toBe(true);
  expect(exported.mailer!.messages.every((m: { to: string }) => m.to === ada.email)).toBe(true);
  expect(exported.location!.blockIds[0].value).toMatch(/^\d+-\d{3}-\d{3}-\d{6}$/);
  expect(exported.audit!.actions.map((a: { action: string }) => a.action)).toContain("business.create");
  expect(exported.chat!.conversations.map((c: { id: string }) => c.id)).toContain(made.conversation);
  expect(exported.chat!.messages).toEqual([expect.objectContaining({ id: made.message, text: "my own words" })]);
  expect(exported.chat!.reactions).toEqual([expect.objectContaining({ messageId: made.bobMessage, emoji: "👍" })]);
  expect(exported.chat!.mentionedIn).toEqual([made.bobMessage]);
  expect(exported.notifications!.notifications.map((n: { kind: string }) => n.kind)).toContain("chat.mention");
  expect(exported.presence!.status).toMatchObject({ mode: "dnd", text: "exporting" });
  expect(exported.calendar!.calendars.map((c: { id: string }) => c.id)).toEqual([made.calendar]);
  expect(exported.calendar!.events.map((e: { id: string; title: string }) => [e.id, e.title]).sort()).toEqual([[made.ownEvent, "My dentist"], [made.workEvent, "Team day"]].sort());
  expect(exported.consents!.history).toEqual([expect.objectContaining({ purpose: "terms", granted: true, how: "signup" }), expect.objectContaining({ purpose: "privacy", granted: true, how: "signup" })]);
});

test("nothing of anyone else's: not their messages (only what Ada was told of one), their address, sessions or secrets", () => {
  const text = JSON.stringify(exported);
  expect(exported.chat!.messages.map((m: { id: string }) => m.id)).not.toContain(made.bobMessage);
  expect(text.split("bob's words").length - 1).toBe(1); // the mention notification Ada received
  expect(text).not.toContain(bob.email);
  expect(text).not.toContain(bob.token);
  expect(text).not.toMatch(/password_?hash|\$argon2/i);
});
