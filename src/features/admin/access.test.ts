import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Browser, createTestApp, registerUser, signedInBrowser, type TestApp } from "../../test/app";
import { htmx } from "./admin.fixture";

let t: TestApp;
let admin: Browser;
let member: Browser;
let memberId: string;
let adminId: string;

beforeAll(async () => {
  t = await createTestApp();
  adminId = (await registerUser(t.app, "root@example.com", "Root Admin")).id;
  memberId = (await registerUser(t.app, "plain@example.com", "Plain Member")).id;
  admin = await signedInBrowser(t.app, "root@example.com");
  member = await signedInBrowser(t.app, "plain@example.com");
});
afterAll(() => t.close());

const PAGES = [
  "/admin-portal",
  "/admin-portal/dashboard",
  "/admin-portal/users",
  "/admin-portal/users?q=root",
  "/admin-portal/businesses",
  "/admin-portal/businesses/abc123",
  "/admin-portal/audit",
  "/admin-portal/audit?action=auth.",
];
const ACTIONS = ["disable", "enable", "grant-admin", "revoke-admin"];

describe("who may enter the admin portal", () => {
  test("/admin-portal sends a platform admin to the dashboard", async () => {
    const response = await admin.request("/admin-portal");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/admin-portal/dashboard");
    const dashboard = await admin.request("/admin-portal/dashboard");
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain("<h1>Admin dashboard</h1>");
  });

  test("a signed-in user who is not a platform admin gets a 403 page on every admin page", async () => {
    for (const path of PAGES) {
      const response = await member.request(path);
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      const html = await response.text();
      expect(html).toContain("The admin portal is for platform admins only.");
      expect(html).not.toContain("Root Admin");
    }
    const fragment = await member.request("/admin-portal/users?q=root", { headers: htmx });
    expect(fragment.status).toBe(403);
    expect(await fragment.text()).not.toContain("root@example.com");
  });

  test("a user who is not a platform admin cannot use any action, even on their own account", async () => {
    for (const change of ACTIONS) {
      for (const target of [memberId, adminId]) {
        const response = await member.request(`/admin-portal/users/${target}/${change}`, { method: "POST", form: {} });
        expect({ change, status: response.status }).toEqual({ change, status: 403 });
      }
    }
    const me = await (await member.request("/api/auth/me")).json();
    expect(me.user.isPlatformAdmin).toBe(false);
    expect((await admin.request("/admin-portal/dashboard")).status).toBe(200);
  });

  test("a signed-out visitor is sent to sign in (remembering the page); a signed-out form post gets 401", async () => {
    for (const path of PAGES) {
      const response = await t.app.request(path);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    for (const change of ACTIONS) {
      const response = await t.app.request(`/admin-portal/users/${memberId}/${change}`, { method: "POST" });
      expect(response.status).toBe(401);
    }
  });

  test("a bearer token of a normal user gets 403 too", async () => {
    const login = await t.app.request("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "plain@example.com", password: "correct horse battery staple" }),
    });
    const { token } = (await login.json()) as { token: string };
    const response = await t.app.request(`/admin-portal/users/${memberId}/grant-admin`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(403);
  });

  test("the Admin link is in the main nav for platform admins only", async () => {
    const mine = await (await admin.request("/profile")).text();
    expect(mine).toContain('<a href="/admin-portal">Admin</a>');
    const theirs = await (await member.request("/profile")).text();
    expect(theirs).not.toContain('href="/admin-portal"');
    const current = await (await admin.request("/admin-portal/users")).text();
    expect(current).toContain('<a href="/admin-portal" aria-current="page">Admin</a>');
  });

  test("admin pages are whole pages in the shell, and the htmx answer is the fragment", async () => {
    const page = await (await admin.request("/admin-portal/users")).text();
    expect(page).toStartWith("<!doctype html>");
    const fragment = await admin.request("/admin-portal/users", { headers: htmx });
    const html = await fragment.text();
    expect(html).not.toContain("<header");
    expect(html).toContain('id="user-results"');
    expect(fragment.headers.get("vary")).toContain("HX-Request");
  });
});
