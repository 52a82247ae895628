// Erasure end to end through the API: the request (re-authentication, the last-owner block, the
// account disabled and every session ended at once), the grace period's sign-in offer, the job
// (claimed once, idempotent, ERASURE_GRACE_DAYS=0 at the next run) and — the promise of issue 11 —
// no trace of the person in any text column of any table afterwards. The erasers are each feature's
// personal-data.ts; pages are in pages.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { PERSONAL_DATA } from "../../personal-data";
import { deletionRequests, erasureProofs, messages, users, businesses, businessMembers } from "../../schema";
import { Browser, createTestApp, strongPassword, type TestApp } from "../../test/app";
import { addHouseholdMember, api, business, household, person, type Person } from "../../test/people";
import { runErasures } from "./job";
import { runExports } from "../exports";

async function json(response: Response | Promise<Response>, status: number) {
  const r = await response;
  const body = await r.text();
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${body}`);
  return body ? JSON.parse(body) : null;
}

const login = (t: TestApp, who: Person, password = strongPassword) =>
  t.app.request("/api/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: who.email, password }) });

const requestDeletion = (t: TestApp, who: Person, password: string | null = strongPassword) => api(t, who, "/api/me/deletion", { method: "POST", json: password === null ? {} : { password } });

async function requestOf(t: TestApp, userId: string) {
  const [row] = await t.deps.db.select().from(deletionRequests).where(eq(deletionRequests.userId, userId));
  return row ?? null;
}

/** Every text cell of every table, with where it is. */
async function everyTextCell(t: TestApp): Promise<Array<{ where: string; value: string }>> {
  const tables = (await t.deps.db.all(sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' and name not like '_litestream%'`)) as Array<{ name: string }>;
  const cells: Array<{ where: string; value: string }> = [];
  for (const { name } of tables) {
    const rows = (await t.deps.db.all(sql.raw(`select * from "${name}"`))) as Array<Record<string, unknown>>;
    for (const row of rows) for (const [column, value] of Object.entries(row)) if (typeof value === "string") cells.push({ where: `${name}.${column}`, value });
  }
  return cells;
}

describe("asking for deletion", () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  test("the last owner of a business or household is refused with the list, and nothing changes", async () => {
    const ada = await person(t, "Ada Owner");
    const bob = await person(t, "Bob Member");
    const businessId = await business(t, ada, [[bob, "member"]], "Owned Ltd");
    const householdId = await household(t, ada, "Owned home");
    const body = await json(requestDeletion(t, ada), 409);
    expect(body.error.code).toBe("last_owner");
    expect(body.error.details.blocks).toEqual([
      expect.objectContaining({ kind: "business", id: businessId, name: "Owned Ltd", why: expect.stringContaining("only owner") }),
      expect.objectContaining({ kind: "household", id: householdId, name: "Owned home" }),
    ]);
    expect(await requestOf(t, ada.id)).toBeNull();
    await json(api(t, ada, "/api/auth/me"), 200);
    // A second owner in each: the way is free.
    await t.deps.db.update(businessMembers).set({ role: "owner" }).where(eq(businessMembers.userId, bob.id));
    await addHouseholdMember(t, householdId, bob, "owner");
    await json(requestDeletion(t, ada), 202);
  });

  test("re-authentication: a wrong or missing password is refused and changes nothing", async () => {
    const ada = await person(t, "Ada Wrong");
    const wrong = await json(requestDeletion(t, ada, "not my password"), 400);
    expect(wrong.error.details.fieldErrors.password).toBeDefined();
    await json(requestDeletion(t, ada, null), 400);
    expect(await requestOf(t, ada.id)).toBeNull();
    await json(api(t, ada, "/api/auth/me"), 200);
  });

  test("the account is disabled and every session ends at once (bearer and cookie), audited", async () => {
    const ada = await person(t, "Ada Leaving");
    const browser = new Browser(t.app);
    expect((await browser.request("/login", { method: "POST", form: { email: ada.email, password: strongPassword } })).status).toBe(303);
    expect((await browser.request("/api/auth/me")).status).toBe(200);
    const body = await json(requestDeletion(t, ada), 202);
    expect(body.deletion).toMatchObject({ status: "pending", requestedBy: "self" });
    expect(Date.parse(body.deletion.eraseAfter) - Date.parse(body.deletion.requestedAt)).toBe(14 * 86_400_000);
    await json(api(t, ada, "/api/auth/me"), 401);
    expect((await browser.request("/api/auth/me")).status).toBe(401);
    const [account] = await t.deps.db.select().from(users).where(eq(users.id, ada.id));
    expect(account!.disabledAt).not.toBeNull();
    expect(account!.disabledReason).toBe("deletion");
    const audit = (await t.deps.db.all(sql`select details from audit_events where action = 'privacy.deletion_request' and target_id = ${ada.id}`)) as Array<{ details: string }>;
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ sessionsEnded: 2, accountDisabled: true });
  });

  test("during the grace period: a wrong password answers as for any disabled account; the right one offers to cancel, and cancelling signs in", async () => {
    const ada = await person(t, "Ada Returning");
    await json(requestDeletion(t, ada), 202);
    const wrong = await json(login(t, ada, "not my password"), 401);
    expect(wrong.error.code).toBe("invalid_credentials");
    const offer = await json(login(t, ada), 409);
    expect(offer.error.code).toBe("deletion_scheduled");
    const token = offer.error.details.pendingToken as string;
    // The offer is no session.
    await json(api(t, token, "/api/auth/me"), 401);
    const cancelled = await json(t.app.request("/api/me/deletion", { method: "DELETE", headers: { "content-type": "application/json" }, body: JSON.stringify({ pendingToken: token }) }), 200);
    expect(cancelled.cancelled).toBe(true);
    await json(api(t, cancelled.token, "/api/auth/me"), 200);
    expect((await requestOf(t, ada.id))!.status).toBe("cancelled");
    // Used up: the same token cancels nothing twice.
    await json(t.app.request("/api/me/deletion", { method: "DELETE", headers: { "content-type": "application/json" }, body: JSON.stringify({ pendingToken: token }) }), 401);
    await json(login(t, ada), 200);
  });

  test("an account an admin had disabled stays disabled when its deletion is cancelled", async () => {
    const ada = await person(t, "Ada Admin Disabled");
    await json(requestDeletion(t, ada), 202);
    const token = (await json(login(t, ada), 409)).error.details.pendingToken;
    await t.deps.db.update(users).set({ disabledReason: "admin" }).where(eq(users.id, ada.id));
    // The offer was made before the admin's change: taking it cancels, but opens no session.
    await json(t.app.request("/api/me/deletion", { method: "DELETE", headers: { "content-type": "application/json" }, body: JSON.stringify({ pendingToken: token }) }), 403);
    expect((await requestOf(t, ada.id))!.status).toBe("cancelled");
    await json(login(t, ada), 401);
  });

  test("the sign-in form leads to the offer page, whose cancel button signs in", async () => {
    const ada = await person(t, "Ada Browser");
    await json(requestDeletion(t, ada), 202);
    const browser = new Browser(t.app);
    const signIn = await browser.request("/login", { method: "POST", form: { email: ada.email, password: strongPassword } });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get("location")).toBe("/account/deletion");
    const page = await browser.request("/account/deletion");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("scheduled for deletion on");
    expect(html).toContain("Cancel the deletion and sign in");
    const cancel = await browser.request("/account/deletion/cancel", { method: "POST", form: {} });
    expect(cancel.status).toBe(303);
    expect((await browser.request("/api/auth/me")).status).toBe(200);
    expect((await requestOf(t, ada.id))!.status).toBe("cancelled");
  });

  test("keeping it scheduled signs nobody in", async () => {
    const ada = await person(t, "Ada Keeps");
    await json(requestDeletion(t, ada), 202);
    const browser = new Browser(t.app);
    await browser.request("/login", { method: "POST", form: { email: ada.email, password: strongPassword } });
    expect((await browser.request("/account/deletion/keep", { method: "POST", form: {} })).status).toBe(303);
    expect((await browser.request("/api/auth/me")).status).toBe(401);
    expect((await browser.request("/account/deletion/cancel", { method: "POST", form: {} })).status).toBe(303);
    expect((await requestOf(t, ada.id))!.status).toBe("pending");
  });

  test("a person who became a last owner during the grace period is not erased until that changes", async () => {
    const ada = await person(t, "Ada Coowner");
    const bob = await person(t, "Bob Leaves");
    const businessId = await business(t, ada, [[bob, "owner"]], "Two Owners Ltd");
    await json(requestDeletion(t, ada), 202);
    await t.deps.db.delete(businessMembers).where(eq(businessMembers.userId, bob.id));
    t.advance(15 * 86_400_000);
    await runErasures(t.deps, PERSONAL_DATA);
    expect((await requestOf(t, ada.id))!.status).toBe("pending");
    await t.deps.db.insert(businessMembers).values({ businessId, userId: bob.id, role: "owner", joinedAt: t.deps.now() });
    await runErasures(t.deps, PERSONAL_DATA);
    expect(await requestOf(t, ada.id)).toBeNull();
    expect((await t.deps.db.select().from(businesses).where(eq(businesses.id, businessId)))[0]!.name).toBe("Two Owners Ltd");
  });

  test("the job leaves a pending request alone until its day, then erases it", async () => {
    const ada = await person(t, "Ada Waits");
    await json(requestDeletion(t, ada), 202);
    expect(await runErasures(t.deps, PERSONAL_DATA)).toBe(0);
    expect((await requestOf(t, ada.id))!.status).toBe("pending");
    t.advance(14 * 86_400_000 + 1);
    expect(await runErasures(t.deps, PERSONAL_DATA)).toBeGreaterThanOrEqual(1);
    expect(await requestOf(t, ada.id)).toBeNull();
    expect(await t.deps.db.select().from(users).where(eq(users.id, ada.id))).toEqual([]);
  });
});

describe("erasure with ERASURE_GRACE_DAYS=0", () => {
  let t: TestApp;
  let ada: Person;
  let bob: Person;
  const made: Record<string, string> = {};
  let blockId: string;
  let cellsBefore: Array<{ where: string; value: string }>;
  const keys: Array<{ id: string; storage_key: string }> = [];

  beforeAll(async () => {
    t = await createTestApp({ ERASURE_GRACE_DAYS: "0" });
    ada = await person(t, "Ada Vanishing");
    bob = await person(t, "Bob Staying");
    // Data in every feature, through the API (as export.test.ts does), Bob owning what they share.
    made.business = await business(t, bob, [[ada, "admin"]], "Staying Ltd");
    made.household = await household(t, bob, "Staying home");
    await addHouseholdMember(t, made.household, ada, "adult");
    await json(api(t, ada, `/api/businesses/${made.business}/members/invitations`, { method: "POST", json: { invitations: [{ email: "friend@example.com", role: "member" }] } }), 201);
    await json(api(t, bob, `/api/businesses/${made.business}/members/invitations`, { method: "POST", json: { invitations: [{ email: "ada.second@example.com", role: "member" }] } }), 201);
    made.conversation = (await json(api(t, ada, "/api/conversations", { method: "POST", json: { type: "direct", userIds: [bob.id] } }), 201)).conversation.id;
    made.message = (await json(api(t, ada, `/api/conversations/${made.conversation}/messages`, { method: "POST", json: { text: "words that stay" } }), 201)).message.id;
    made.bobMessage = (await json(api(t, bob, `/api/conversations/${made.conversation}/messages`, { method: "POST", json: { text: "bob's own words" } }), 201)).message.id;
    await json(api(t, ada, `/api/messages/${made.bobMessage}/reactions`, { method: "POST", json: { emoji: "👍" } }), 201);
    await json(api(t, ada, "/api/presence/status", { method: "PUT", json: { status: "dnd", text: "leaving soon" } }), 200);
    // Two files: one sent to Bob (stays with the message), one never sent (goes, with its stored bytes).
    const upload = (name: string) => {
      const form = new FormData();
      form.set("file", new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])], name, { type: "image/png" }));
      return t.app.request(`/api/conversations/${made.conversation}/attachments`, { method: "POST", body: form, headers: { authorization: `Bearer ${ada.token}` } });
    };
    made.sentFile = (await json(upload("sent.png"), 201)).attachment.id;
    await json(api(t, ada, `/api/conversations/${made.conversation}/messages`, { method: "POST", json: { text: "", attachmentIds: [made.sentFile] } }), 201);
    made.unsentFile = (await json(upload("unsent.png"), 201)).attachment.id;
    keys.push(...((await t.deps.db.all(sql`select id, storage_key from chat_attachments`)) as Array<{ id: string; storage_key: string }>));
    // The calendar: her own calendar shared with Bob, a private event in it, an event she made in the business's
    // calendar with Bob invited, one of Bob's household events she is invited to, her zone.
    const calendarsOf = async (who: Person) => (await json(api(t, who, "/api/calendars"), 200)).calendars as Array<{ id: string; contextType: string; contextId: string; isPrimary: boolean }>;
    made.adaCalendar = (await calendarsOf(ada)).find((c) => c.contextType === "personal")!.id;
    made.businessCalendar = (await calendarsOf(ada)).find((c) => c.contextId === made.business)!.id;
    made.householdCalendar = (await calendarsOf(bob)).find((c) => c.contextId === made.household)!.id;
    await json(api(t, ada, `/api/calendars/${made.adaCalendar}/shares/${bob.id}`, { method: "PUT", json: { access: "read" } }), 201);
    made.privateEvent = (await json(api(t, ada, `/api/calendars/${made.adaCalendar}/events`, { method: "POST", json: { title: "Ada Vanishing's appointment", start: "2027-01-05T10:00", end: "2027-01-05T11:00", timeZone: "UTC", visibility: "private" } }), 201)).event.id;
    made.businessEvent = (await json(api(t, ada, `/api/calendars/${made.businessCalendar}/events`, { method: "POST", json: { title: "Quarterly review", start: "2027-01-06T10:00", end: "2027-01-06T11:00", timeZone: "UTC", attendees: [bob.id] } }), 201)).event.id;
    made.householdEvent = (await json(api(t, bob, `/api/calendars/${made.householdCalendar}/events`, { method: "POST", json: { title: "Dinner", start: "2027-01-07T19:00", end: "2027-01-07T20:00", timeZone: "UTC", attendees: [ada.id] } }), 201)).event.id;
    await json(api(t, ada, "/api/calendar/settings", { method: "PUT", json: { timeZone: "Europe/London" } }), 200);
    await login(t, ada, "a wrong password"); // a failed sign-in: an audit row and rate-limit buckets naming the address
    await t.app.request("/api/auth/password-reset", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: ada.email }) });
    await json(api(t, ada, "/api/me/consents", { method: "PUT", json: { purposes: { product_emails: true } } }), 200);
    made.export = (await json(api(t, ada, "/api/me/exports", { method: "POST" }), 202)).export.id;
    await runExports(t.deps, PERSONAL_DATA);
    const [account] = await t.deps.db.select().from(users).where(eq(users.id, ada.id));
    blockId = account!.blockId!;
    cellsBefore = await everyTextCell(t);
    await json(requestDeletion(t, ada), 202);
    expect(await runErasures(t.deps, PERSONAL_DATA)).toBe(1);
  });
  afterAll(() => t.close());

  test("the data was there before (the grep below can fail)", () => {
    const text = cellsBefore.map((cell) => cell.value).join("\n");
    for (const needle of [ada.email, ada.name, ada.id, blockId]) expect(text).toContain(needle);
    if (process.env.SHOW_CELLS) console.log(cellsBefore.filter((cell) => [ada.email, ada.name, ada.id, blockId].some((needle) => cell.value.includes(needle))).map((cell) => cell.where).join("\n"));
  });

  test("the export is gone with its archive", async () => {
    expect(await t.deps.db.all(sql`select id from data_exports`)).toEqual([]);
    // Files go after the commit, without holding it up.
    for (let i = 0; i < 100 && (await t.deps.storage.get(`exports/${made.export}/archive`)); i++) await Bun.sleep(10);
    expect(await t.deps.storage.get(`exports/${made.export}/archive`)).toBeNull();
  });

  test("no text column of any table holds the person's name, address, id or Block ID", async () => {
    const found = (await everyTextCell(t)).filter((cell) => [ada.email, ada.name, ada.id, blockId].some((needle) => cell.value.includes(needle)));
    expect(found).toEqual([]);
  });

  test("the proof remains: time, counts per feature, the tombstone — and nothing of the person", async () => {
    const proofs = await t.deps.db.select().from(erasureProofs);
    expect(proofs).toHaveLength(1);
    const proof = proofs[0]!;
    expect(proof.requestedBy).toBe("self");
    expect(proof.counts.auth).toBe(1);
    expect(proof.counts.chat).toBeGreaterThan(0);
    expect(proof.counts.audit).toBeGreaterThan(0);
    expect(Object.keys(proof.counts).sort()).toEqual(PERSONAL_DATA.map((source) => source.feature).sort());
    expect(JSON.stringify(proof)).not.toContain(ada.email);
  });

  test("calendars: hers goes with its events; her event in the business's calendar stays with no maker; Bob's dinner stays without her", async () => {
    expect(await t.deps.db.all(sql`select id from calendars where id = ${made.adaCalendar}`)).toEqual([]);
    expect(await t.deps.db.all(sql`select id from calendar_events where id = ${made.privateEvent}`)).toEqual([]);
    const kept = await json(api(t, bob, `/api/events/${made.businessEvent}`), 200);
    expect(kept.event).toMatchObject({ title: "Quarterly review", createdBy: null });
    expect(kept.event.attendees.map((a: { userId: string }) => a.userId)).toEqual([bob.id]);
    const dinner = await json(api(t, bob, `/api/events/${made.householdEvent}`), 200);
    expect(dinner.event.attendees).toEqual([]);
    expect((await json(api(t, bob, "/api/calendars"), 200)).calendars.some((c: { id: string }) => c.id === made.adaCalendar)).toBe(false);
  });

  test("others' data stays: the business, Bob's message, and Ada's message shown as from a deleted user", async () => {
    const [kept] = await t.deps.db.select().from(businesses).where(eq(businesses.id, made.business!));
    expect(kept!.name).toBe("Staying Ltd");
    const rows = await t.deps.db.select().from(messages).where(eq(messages.conversationId, made.conversation!));
    expect(rows.find((row) => row.id === made.bobMessage)).toMatchObject({ authorId: bob.id, text: "bob's own words" });
    expect(rows.find((row) => row.id === made.message)).toMatchObject({ authorId: null, text: "words that stay" });
    const history = await json(api(t, bob, `/api/conversations/${made.conversation}/messages`), 200);
    expect(JSON.stringify(history)).toContain("words that stay");
    await json(api(t, bob, "/api/auth/me"), 200);
  });

  test("the file Bob received stays (uploader null); the unsent one is gone from the table and from storage", async () => {
    const rows = (await t.deps.db.all(sql`select id, uploader_id from chat_attachments`)) as Array<{ id: string; uploader_id: string | null }>;
    expect(rows).toEqual([{ id: made.sentFile!, uploader_id: null }]);
    const sentKey = keys.find((row) => row.id === made.sentFile)!.storage_key;
    const unsentKey = keys.find((row) => row.id === made.unsentFile)!.storage_key;
    expect(await t.deps.storage.get(sentKey)).not.toBeNull();
    // Removed after the commit, without waiting for it: poll briefly.
    for (let i = 0; i < 50 && (await t.deps.storage.get(unsentKey)) !== null; i++) await Bun.sleep(10);
    expect(await t.deps.storage.get(unsentKey)).toBeNull();
  });

  test("the proof was mailed before the address went, and its outbox copy is gone", async () => {
    const [proof] = await t.deps.db.select().from(erasureProofs);
    expect(proof!.mailStatus).toBe("outbox");
    const left = (await t.deps.db.all(sql`select count(*) as n from outbox where subject like '%has been erased%'`)) as Array<{ n: number }>;
    expect(left[0]!.n).toBe(0);
  });

  test("a second run of every eraser changes nothing (idempotent)", async () => {
    const [proof] = await t.deps.db.select().from(erasureProofs);
    const person = { email: ada.email, name: ada.name, blockIds: [blockId] };
    for (const source of PERSONAL_DATA) {
      const changed = await t.deps.db.transaction((tx) => source.erase({ tx, deps: t.deps, userId: ada.id, person, tombstone: proof!.tombstone, now: t.deps.now() }));
      expect({ feature: source.feature, changed }).toEqual({ feature: source.feature, changed: 0 });
    }
    expect(await runErasures(t.deps, PERSONAL_DATA)).toBe(0);
  });
});

describe("the job", () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp({ ERASURE_GRACE_DAYS: "0" })));
  afterAll(() => t.close());

  test("two runs at once erase a request once, with one proof", async () => {
    const ada = await person(t, "Ada Twice");
    await json(requestDeletion(t, ada), 202);
    const [a, b] = await Promise.all([runErasures(t.deps, PERSONAL_DATA), runErasures(t.deps, PERSONAL_DATA)]);
    expect(a + b).toBe(1);
    expect(await t.deps.db.select().from(erasureProofs)).toHaveLength(1);
  });

  test("a run that died halfway is finished by a later one, with the same tombstone", async () => {
    const ada = await person(t, "Ada Crash");
    await json(requestDeletion(t, ada), 202);
    const broken = PERSONAL_DATA.map((source) => (source.feature === "notifications" ? { ...source, erase: async () => Promise.reject(new Error("crash")) } : source));
    expect(await runErasures(t.deps, broken)).toBe(0);
    const halfway = (await requestOf(t, ada.id))!;
    expect(halfway.status).toBe("erasing");
    expect(halfway.counts.chat).toBeDefined();
    // Not yet stale: nobody takes it over.
    expect(await runErasures(t.deps, PERSONAL_DATA)).toBe(0);
    t.advance(11 * 60_000);
    expect(await runErasures(t.deps, PERSONAL_DATA)).toBe(1);
    const proofs = await t.deps.db.select().from(erasureProofs).where(eq(erasureProofs.tombstone, halfway.tombstone!));
    expect(proofs).toHaveLength(1);
    expect(await t.deps.db.select().from(users).where(eq(users.id, ada.id))).toEqual([]);
  });
});
