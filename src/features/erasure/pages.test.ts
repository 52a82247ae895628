// The pages of erasure without JavaScript: the profile's "Delete my account" form (refusals in place,
// the last-owner list with links), the signed-out page after it, and the admin portal's erasures page.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { deletionRequests, users } from "../../schema";
import { createTestApp, strongPassword, type TestApp } from "../../test/app";
import { api, business, person, signedIn } from "../../test/people";
import { PERSONAL_DATA } from "../../personal-data";
import { runErasures } from "./job";

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

test("the profile shows the section; a wrong password and a missing confirmation are said in place", async () => {
  const ada = await person(t, "Ada Profile");
  const browser = await signedIn(t, ada);
  const profile = await (await browser.request("/profile")).text();
  expect(profile).toContain("Delete my account");
  expect(profile).toContain('action="/profile/deletion"');
  const unconfirmed = await browser.request("/profile/deletion", { method: "POST", form: { password: strongPassword } });
  expect(unconfirmed.status).toBe(422);
  expect(await unconfirmed.text()).toContain("Tick the box");
  const wrong = await browser.request("/profile/deletion", { method: "POST", form: { password: "wrong one", confirm: "yes" }, headers: { "hx-request": "true" } });
  expect(wrong.status).toBe(422);
  expect(await wrong.text()).toContain("That is not your current password.");
  expect((await browser.request("/api/auth/me")).status).toBe(200);
});

test("a last owner sees each business to hand over, with a link", async () => {
  const ada = await person(t, "Ada Lastowner");
  const businessId = await business(t, ada, [], "Only Mine Ltd");
  const browser = await signedIn(t, ada);
  const refused = await browser.request("/profile/deletion", { method: "POST", form: { password: strongPassword, confirm: "yes" } });
  expect(refused.status).toBe(409);
  const html = await refused.text();
  expect(html).toContain("Only Mine Ltd");
  expect(html).toContain(`href="/business/${businessId}/workspace/members"`);
});

test("after the request the browser is signed out and told the date and how to cancel", async () => {
  const ada = await person(t, "Ada Signs Out");
  const browser = await signedIn(t, ada);
  const done = await browser.request("/profile/deletion", { method: "POST", form: { password: strongPassword, confirm: "yes" } });
  expect(done.status).toBe(303);
  const location = done.headers.get("location")!;
  expect(location).toStartWith("/account/deleted?on=");
  expect((await browser.request("/api/auth/me")).status).toBe(401);
  const page = await (await browser.request(location)).text();
  expect(page).toMatch(/erased on <strong>\d{1,2} \w+ \d{4}<\/strong>/);
  expect(page).toContain("Sign in");
});

test("admins: start an erasure with a reason (immediately), see it pending, and the proof once the job ran", async () => {
  const admin = await person(t, "Root Admin");
  await t.deps.db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, admin.id));
  const ada = await person(t, "Ada Requested");
  const browser = await signedIn(t, admin);
  const noReason = await browser.request("/admin-portal/erasures", { method: "POST", form: { userId: ada.id, reason: "" } });
  expect(noReason.status).toBe(422);
  const started = await browser.request("/admin-portal/erasures", { method: "POST", form: { userId: ada.id, reason: "GDPR request #42", immediate: "on" } });
  expect(started.status).toBe(303);
  const pending = await (await browser.request("/admin-portal/erasures")).text();
  expect(pending).toContain("Ada Requested");
  expect(pending).toContain("GDPR request #42");
  const [request] = await t.deps.db.select().from(deletionRequests).where(eq(deletionRequests.userId, ada.id));
  expect(request!.requestedBy).toBe("admin");
  expect(await runErasures(t.deps, PERSONAL_DATA)).toBe(1);
  const after = await (await browser.request("/admin-portal/erasures")).text();
  expect(after).not.toContain("Ada Requested");
  expect(after).toContain("auth 1");
  // Not for anyone else.
  const other = await signedIn(t, await person(t, "Not Admin"));
  expect((await other.request("/admin-portal/erasures")).status).toBe(403);
});

test("admins over JSON: start (reason required, audited), list, cancel — and the last-owner block holds for them too", async () => {
  const admin = await person(t, "Json Admin");
  await t.deps.db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, admin.id));
  const ada = await person(t, "Ada Json");
  const owner = await person(t, "Olga Owner");
  await business(t, owner, [], "Olga Ltd");
  const call = (path: string, method: string, json?: unknown) => api(t, admin, path, { method, json });
  expect((await call(`/api/admin/users/${ada.id}/erasure`, "POST", { reason: "" })).status).toBe(400);
  expect((await call(`/api/admin/users/${owner.id}/erasure`, "POST", { reason: "GDPR request #7" })).status).toBe(409);
  const started = await call(`/api/admin/users/${ada.id}/erasure`, "POST", { reason: "GDPR request #8" });
  expect(started.status).toBe(202);
  const { deletion } = (await started.json()) as { deletion: { id: string } };
  const audit = await t.deps.db.all(sql`select actor_user_id, details from audit_events where action = 'admin.deletion_request' and target_id = ${ada.id}`) as Array<{ actor_user_id: string; details: string }>;
  expect(audit[0]!.actor_user_id).toBe(admin.id);
  expect(JSON.parse(audit[0]!.details)).toMatchObject({ reason: "GDPR request #8", immediate: false });
  const list = (await (await call("/api/admin/erasures", "GET")).json()) as { pending: Array<{ id: string; email: string }> };
  expect(list.pending.find((row) => row.id === deletion.id)?.email).toBe(ada.email);
  expect((await call(`/api/admin/erasures/${deletion.id}`, "DELETE")).status).toBe(204);
  expect((await api(t, ada, "/api/auth/me")).status).toBe(401); // sessions ended when it started
  const login = await t.app.request("/api/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: ada.email, password: strongPassword }) });
  expect(login.status).toBe(200); // enabled again by the cancel
  const { token } = (await login.json()) as { token: string };
  expect((await api(t, token, "/api/admin/erasures")).status).toBe(403);
});
