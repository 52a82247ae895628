import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { createTestApp, loginToken, registerUser, signedInBrowser, strongPassword, type TestApp } from "../../test/app";
import { auditEvents } from "../audit/schema";
import { sessions, users } from "../auth/schema";
import { dataIds, htmx, seedUser } from "./admin.fixture";

let t: TestApp;
let rootId: string;

beforeAll(async () => {
  t = await createTestApp();
  rootId = (await registerUser(t.app, "root@example.com", "Root Admin")).id;
  await seedUser(t, { name: "100% Real", email: "percent@example.com" });
  await seedUser(t, { name: "snake_case", email: "under@example.com" });
  await seedUser(t, { name: `O'Brien "Quotes"`, email: "quotes@example.com" });
  await seedUser(t, { name: "Émile 🦊 Fox", email: "fox@example.com" });
  await seedUser(t, { name: "Back\\slash", email: "slash@example.com" });
  await seedUser(t, { name: "Zara Upper", email: "ZARA.case@example.com" });
});
afterAll(() => t.close());

function rowsOf(html: string) {
  return dataIds(html, "user").length;
}

async function search(q: string, extra = "") {
  const admin = await signedInBrowser(t.app, "root@example.com");
  return admin.request(`/admin-portal/users?q=${encodeURIComponent(q)}${extra}`, { headers: htmx });
}

describe("user search", () => {
  test("matches part of a name or an email, ignoring case", async () => {
    const byName = await (await search("ZARA up")).text();
    expect(byName).toContain("Zara Upper");
    expect(rowsOf(byName)).toBe(1);
    const byEmail = await (await search("QUOTES@EXAMPLE")).text();
    expect(byEmail).toContain("quotes@example.com");
    expect(rowsOf(byEmail)).toBe(1);
  });

  test("%, _, quotes, backslashes and emoji are plain characters, not patterns", async () => {
    for (const [q, email] of [["%", "percent@example.com"], ["_", "under@example.com"], [`'B`, "quotes@example.com"], [`"Quotes"`, "quotes@example.com"], ["🦊", "fox@example.com"], ["\\", "slash@example.com"], ["Émile", "fox@example.com"]] as const) {
      const response = await search(q);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect({ q, rows: rowsOf(html) }).toEqual({ q, rows: 1 });
      expect(html).toContain(email);
    }
    const none = await search("%%");
    expect(rowsOf(await none.text())).toBe(0);
  });

  test("a 10,000-character search is a 400 with the error beside the field, in the page and in the fragment", async () => {
    const long = "a".repeat(10_000);
    const fragment = await search(long);
    expect(fragment.status).toBe(400);
    const html = await fragment.text();
    expect(html).toContain('id="user-search-q-error"');
    expect(html).toContain("Search with at most 200 characters.");
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('hx-swap-oob="true"');
    const admin = await signedInBrowser(t.app, "root@example.com");
    const page = await admin.request(`/admin-portal/users?q=${long}`);
    expect(page.status).toBe(400);
    const pageHtml = await page.text();
    expect(pageHtml).toStartWith("<!doctype html>");
    expect(pageHtml).toContain('id="user-search-q-error"');
  });

  test("a bad page number is a 400 with a message, never a 500", async () => {
    for (const page of ["0", "-1", "abc", "1e3", "99999999999", "%00"]) {
      const response = await search("", `&page=${page}`);
      expect({ page, status: response.status }).toEqual({ page, status: 400 });
      expect(await response.text()).toContain("form-message error");
    }
  });

  test("pages of 20, newest first, with a link to the next page", async () => {
    const base = t.deps.now() + 60_000;
    for (let i = 0; i < 23; i++) await seedUser(t, { name: `Pager ${String(i).padStart(2, "0")}`, email: `pager${i}@example.com`, createdAt: base + i });
    const first = await (await search("pager")).text();
    expect(rowsOf(first)).toBe(20);
    expect(first.indexOf("Pager 22")).toBeLessThan(first.indexOf("Pager 21"));
    expect(first).toContain('href="/admin-portal/users?q=pager&amp;page=2"');
    const second = await (await search("pager", "&page=2")).text();
    expect(rowsOf(second)).toBe(3);
    expect(second).toContain("Pager 00");
    expect(second).not.toContain("Pager 03");
    expect(second).not.toContain('rel="next"');
    expect(second).toContain('href="/admin-portal/users?q=pager"');
  });

  test("each row shows name, email, created, admin and disabled flags", async () => {
    const html = await (await search("root@")).text();
    expect(html).toContain("Root Admin");
    expect(html).toContain("root@example.com");
    expect(html).toMatch(/<time datetime="\d{4}-\d{2}-\d{2}T/);
    expect(html).toContain('<td data-flag="admin"><span class="badge">Admin</span></td>');
    expect(html).toContain('<td data-flag="disabled"><span class="muted">Active</span></td>');
    expect(html).toContain('<span class="badge">You</span>');
  });

  test("a Block ID column with a copy button; the start of a Block ID finds its user, a middle part does not", async () => {
    const [root] = await t.deps.db.select({ blockId: users.blockId }).from(users).where(eq(users.id, rootId));
    const blockId = root!.blockId!;
    const whole = await (await search(blockId)).text();
    expect(rowsOf(whole)).toBe(1);
    expect(whole).toContain("root@example.com");
    expect(whole).toContain(`<code class="block-id-value">${blockId}</code><button type="button" class="copy-button" data-copy="${blockId}"`);
    const prefix = await (await search(blockId.slice(0, -1))).text();
    expect(prefix).toContain("root@example.com");
    // Seeded accounts have no Block ID: never matched by one, shown as a dash.
    expect(prefix).not.toContain("percent@example.com");
    expect(rowsOf(await (await search(blockId.slice(3))).text())).toBe(0);
    expect(await (await search("percent@")).text()).toMatch(/<td><span class="muted">—<\/span><\/td>/);
  });
});

describe("disable and enable", () => {
  test("disabling ends every session at once; enabling lets them sign in again, with a new session", async () => {
    const user = await registerUser(t.app, "victim@example.com", "Vic Tim");
    const token = await loginToken(t.app, "victim@example.com");
    const browser = await signedInBrowser(t.app, "victim@example.com");
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    const admin = await signedInBrowser(t.app, "root@example.com");
    const response = await admin.request(`/admin-portal/users/${user.id}/disable`, { method: "POST", headers: htmx, form: { q: "vic", page: "1" } });
    expect(response.status).toBe(200);
    const row = await response.text();
    expect(row).toStartWith(`<tr id="user-${user.id}"`);
    expect(row).toContain('<span class="badge danger">Disabled</span>');
    expect(row).toContain("every session it had has ended");

    // Gone from the table at once, before any request with them could clean them up.
    expect(await t.deps.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await browser.request("/profile")).status).toBe(303);
    const refused = await t.app.request("/api/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "victim@example.com", password: strongPassword }) });
    expect(refused.status).toBe(401);

    const enabled = await admin.request(`/admin-portal/users/${user.id}/enable`, { method: "POST", form: { q: "vic", page: "1" } });
    expect(enabled.status).toBe(303);
    expect(enabled.headers.get("location")).toBe(`/admin-portal/users?q=vic&done=enable#user-${user.id}`);
    expect(await (await admin.request("/admin-portal/users?q=vic&done=enable")).text()).toContain("The account is enabled");
    // The old token stays dead: its session was deleted, not merely hidden while disabled.
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    const fresh = await loginToken(t.app, "victim@example.com");
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${fresh}` } })).status).toBe(200);
  });

  test("sign out everywhere ends every session of the account, audited, without disabling it; never your own", async () => {
    const user = await registerUser(t.app, "stolen-laptop@example.com", "Stolen Laptop");
    const token = await loginToken(t.app, "stolen-laptop@example.com");
    const browser = await signedInBrowser(t.app, "stolen-laptop@example.com");
    const admin = await signedInBrowser(t.app, "root@example.com");
    const response = await admin.request(`/admin-portal/users/${user.id}/sign-out`, { method: "POST", headers: htmx, form: { q: "stolen", page: "1" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Every session of the account has ended");
    expect(await t.deps.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await browser.request("/profile")).status).toBe(303);
    // Not disabled: the owner signs in again.
    expect(await loginToken(t.app, "stolen-laptop@example.com")).toBeString();
    const [event] = await t.deps.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, user.id), eq(auditEvents.action, "admin.user_sign_out")));
    expect(event!.actorUserId).toBe(rootId);
    expect(event!.details).toMatchObject({ sessionsEnded: 2 });

    const self = await admin.request(`/admin-portal/users/${rootId}/sign-out`, { method: "POST", headers: htmx, form: { q: "", page: "1" } });
    expect(self.status).toBe(409);
    expect((await admin.request("/admin-portal/users")).status).toBe(200);
    // Not a platform admin: refused, and nothing ends.
    const plain = await signedInBrowser(t.app, "stolen-laptop@example.com");
    expect((await plain.request(`/admin-portal/users/${rootId}/sign-out`, { method: "POST", form: { q: "", page: "1" } })).status).toBe(403);
    expect((await t.deps.db.select().from(sessions).where(eq(sessions.userId, rootId))).length).toBeGreaterThan(0);
  });

  test("each change is audited with who did it, before and after", async () => {
    const user = await registerUser(t.app, "audited@example.com", "Audi Ted");
    await loginToken(t.app, "audited@example.com");
    const admin = await signedInBrowser(t.app, "root@example.com");
    for (const change of ["disable", "enable", "grant-admin", "revoke-admin"]) {
      t.advance(1000);
      expect((await admin.request(`/admin-portal/users/${user.id}/${change}`, { method: "POST", form: {} })).status).toBe(303);
    }
    const events = await t.deps.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, user.id), eq(auditEvents.actorUserId, rootId)))
      .orderBy(auditEvents.at);
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(["admin.user_disable", "admin.user_enable", "admin.platform_admin_grant", "admin.platform_admin_revoke"]);
    const [disable, enable, grant, revoke] = events.map((e) => e.details as Record<string, any>);
    expect(disable!.before).toEqual({ disabledAt: null });
    expect(typeof disable!.after.disabledAt).toBe("number");
    expect(disable!.sessionsEnded).toBe(1);
    expect(enable!.after).toEqual({ disabledAt: null });
    expect(grant).toMatchObject({ before: { isPlatformAdmin: false }, after: { isPlatformAdmin: true } });
    expect(revoke).toMatchObject({ before: { isPlatformAdmin: true }, after: { isPlatformAdmin: false } });
  });

  test("an unknown user or action is a 404; a change that changes nothing is not audited", async () => {
    const admin = await signedInBrowser(t.app, "root@example.com");
    expect((await admin.request("/admin-portal/users/nosuchuser/disable", { method: "POST", form: {} })).status).toBe(404);
    expect((await admin.request(`/admin-portal/users/${rootId}/explode`, { method: "POST", form: {} })).status).toBe(404);
    expect((await admin.request(`/admin-portal/users/${"x".repeat(500)}/disable`, { method: "POST", form: {} })).status).toBe(404);
    const user = await seedUser(t, { name: "Already On", email: "on@example.com" });
    const response = await admin.request(`/admin-portal/users/${user.id}/enable`, { method: "POST", form: { q: "z".repeat(5000), page: "nope" } });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/admin-portal/users?done=enable#user-${user.id}`);
    expect(await t.deps.db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id))).toEqual([]);
  });
});

describe("platform admin", () => {
  test("granting makes the portal open to them at once; revoking closes it at once", async () => {
    const user = await registerUser(t.app, "deputy@example.com", "Deputy");
    const deputy = await signedInBrowser(t.app, "deputy@example.com");
    expect((await deputy.request("/admin-portal/dashboard")).status).toBe(403);
    const admin = await signedInBrowser(t.app, "root@example.com");
    const granted = await admin.request(`/admin-portal/users/${user.id}/grant-admin`, { method: "POST", headers: htmx, form: {} });
    expect(granted.status).toBe(200);
    expect(await granted.text()).toContain('<td data-flag="admin"><span class="badge">Admin</span></td>');
    expect((await deputy.request("/admin-portal/dashboard")).status).toBe(200);
    const revoked = await admin.request(`/admin-portal/users/${user.id}/revoke-admin`, { method: "POST", headers: htmx, form: {} });
    expect(await revoked.text()).toContain('<td data-flag="admin"><span class="muted">No</span></td>');
    expect((await deputy.request("/admin-portal/dashboard")).status).toBe(403);
  });

  test("an admin cannot disable themselves or revoke their own admin, with a clear message", async () => {
    const second = await registerUser(t.app, "second@example.com", "Second Admin");
    const admin = await signedInBrowser(t.app, "root@example.com");
    await admin.request(`/admin-portal/users/${second.id}/grant-admin`, { method: "POST", form: {} });

    const disable = await admin.request(`/admin-portal/users/${rootId}/disable`, { method: "POST", headers: htmx, form: {} });
    expect(disable.status).toBe(409);
    const row = await disable.text();
    expect(row).toStartWith(`<tr id="user-${rootId}"`);
    expect(row).toContain("You cannot disable your own account");
    expect(row).toContain('role="alert"');

    const revoke = await admin.request(`/admin-portal/users/${rootId}/revoke-admin`, { method: "POST", form: { q: "root" } });
    expect(revoke.status).toBe(409);
    const page = await revoke.text();
    expect(page).toStartWith("<!doctype html>");
    expect(page).toContain("You cannot revoke your own platform admin");

    const me = await (await admin.request("/api/auth/me")).json();
    expect(me.user.isPlatformAdmin).toBe(true);
    await admin.request(`/admin-portal/users/${second.id}/revoke-admin`, { method: "POST", form: {} });
  });

  test("the last platform admin cannot lose admin, by revoking or by being disabled", async () => {
    const solo = await createTestApp();
    try {
      const only = await registerUser(solo.app, "only@example.com", "Only Admin");
      const admin = await signedInBrowser(solo.app, "only@example.com");
      for (const change of ["revoke-admin", "disable"]) {
        const response = await admin.request(`/admin-portal/users/${only.id}/${change}`, { method: "POST", headers: htmx, form: {} });
        expect({ change, status: response.status }).toEqual({ change, status: 409 });
        expect(await response.text()).toContain("This is the last platform admin");
      }
      expect((await admin.request("/admin-portal/dashboard")).status).toBe(200);
    } finally {
      solo.close();
    }
  });

  test("a disabled admin does not count: the one enabled admin is still the last", async () => {
    const solo = await createTestApp();
    try {
      const first = await registerUser(solo.app, "first@example.com", "First");
      const other = await registerUser(solo.app, "other@example.com", "Other");
      const admin = await signedInBrowser(solo.app, "first@example.com");
      await admin.request(`/admin-portal/users/${other.id}/grant-admin`, { method: "POST", form: {} });
      const otherAdmin = await signedInBrowser(solo.app, "other@example.com");
      expect((await otherAdmin.request(`/admin-portal/users/${first.id}/disable`, { method: "POST", form: {} })).status).toBe(303);
      // "other" is now the only enabled admin; "first" still holds the flag but cannot act.
      const response = await otherAdmin.request(`/admin-portal/users/${other.id}/revoke-admin`, { method: "POST", headers: htmx, form: {} });
      expect(response.status).toBe(409);
      expect(await response.text()).toContain("This is the last platform admin");
    } finally {
      solo.close();
    }
  });
});
