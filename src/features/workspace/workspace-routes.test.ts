import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { businessMembers, departments, positions } from "../../schema";
import type { LogEntry } from "../../deps";
import { newId } from "../../lib/crypto";
import { Browser, bearerRequest, createTestApp, loginToken, registerUser, signedInBrowser, type TestApp } from "../../test/app";
import type { BusinessRole } from "./schema";

let t: TestApp;
let ownerToken: string;
let acme: string; // a company: owner Olga, admin Adam, manager Mona, members Tess (teacher) and Carl (clerk)
let school: string; // an institution of another owner, Bea
const unit = { sales: "", teacher: "", clerk: "", schoolClass: "" };
const as: Record<string, Browser> = {};

const htmx = { "hx-request": "true" };
const api = (token: string, path: string, init: { method?: string; json?: unknown } = {}) => bearerRequest(t.app, token, path, init);
const signedIn = (email: string) => signedInBrowser(t.app, email);

async function createBusiness(token: string, name: string, kind: "company" | "institution") {
  const response = await api(token, "/api/businesses", { method: "POST", json: { name, kind, description: `About ${name}` } });
  return ((await response.json()) as { business: { id: string } }).business.id;
}

async function addUnit(table: typeof departments | typeof positions, businessId: string, name: string) {
  const id = newId();
  await t.deps.db.insert(table).values({ id, businessId, name, createdAt: Date.now() });
  return id;
}

async function addMember(businessId: string, email: string, name: string, role: BusinessRole, departmentId: string | null = null, positionId: string | null = null) {
  const user = await registerUser(t.app, email, name);
  await t.deps.db.insert(businessMembers).values({ businessId, userId: user.id, role, departmentId, positionId, joinedAt: Date.now() });
  return signedIn(email);
}

/** The tab ids in a response's tab bar, and which one is marked current. */
function tabBar(html: string) {
  const nav = html.match(/<nav id="workspace-tabs"[^>]*>([\s\S]*?)<\/nav>/);
  if (!nav) return null;
  const links = [...nav[1]!.matchAll(/<a href="([^"]+)"[^>]*?(aria-current="page")?>([^<]+)<\/a>/g)];
  return { labels: links.map((l) => l[3]), current: links.filter((l) => l[2]).map((l) => l[3]), oob: nav[0].includes('hx-swap-oob="true"') };
}

const ALL = ["Overview", "Members", "Calendar", "Chat", "Analytics", "Settings"];

beforeAll(async () => {
  t = await createTestApp();
  await registerUser(t.app, "olga@example.com", "Olga");
  await registerUser(t.app, "bea@example.com", "Bea");
  ownerToken = await loginToken(t.app, "olga@example.com");
  acme = await createBusiness(ownerToken, "Acme Ltd", "company");
  school = await createBusiness(await loginToken(t.app, "bea@example.com"), "Hill School", "institution");
  unit.sales = await addUnit(departments, acme, "Sales");
  unit.teacher = await addUnit(positions, acme, "Trainer");
  unit.clerk = await addUnit(positions, acme, "Clerk");
  unit.schoolClass = await addUnit(departments, school, "Class 4B");
  as.olga = await signedIn("olga@example.com");
  as.bea = await signedIn("bea@example.com");
  as.adam = await addMember(acme, "adam@example.com", "Adam", "admin");
  as.mona = await addMember(acme, "mona@example.com", "Mona", "manager", unit.sales);
  as.tess = await addMember(acme, "tess@example.com", "Tess", "member", unit.sales, unit.teacher);
  as.carl = await addMember(acme, "carl@example.com", "Carl", "member", null, unit.clerk);
  await addMember(school, "pupil@example.com", "Pupil", "member", unit.schoolClass);
});
afterAll(() => t.close());

describe("workspace page and tab bar", () => {
  test("a full load has exactly one header, the whole tab bar for the owner, and the overview marked current", async () => {
    const response = await as.olga!.request(`/business/${acme}/workspace`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toStartWith("<!doctype html>");
    expect(html.match(/<header/g)).toHaveLength(1);
    expect(tabBar(html)).toEqual({ labels: ALL, current: ["Overview"], oob: false });
    expect(html).not.toContain('role="tablist"');
    expect(html).toContain(`hx-get="/business/${acme}/workspace/chat" hx-target="#workspace-panel" hx-push-url="true"`);
    expect(html).toContain('id="workspace-panel"');
    expect(html).toContain("About Acme Ltd");
  });

  test("plain members do not get the settings tab, and a hidden tab answers a 403 page", async () => {
    const html = await (await as.carl!.request(`/business/${acme}/workspace/members`)).text();
    expect(tabBar(html)).toEqual({ labels: ALL.filter((l) => l !== "Settings"), current: ["Members"], oob: false });
    const denied = await as.carl!.request(`/business/${acme}/workspace/settings`);
    expect(denied.status).toBe(403);
    expect(denied.headers.get("content-type")).toContain("text/html");
    const body = await denied.text();
    expect(body).toContain("You may not do that");
    expect(body).not.toContain("module-config");
  });

  test("restricting a module to one position: the trainer sees Calendar, the clerk does not", async () => {
    const put = await api(ownerToken, `/api/businesses/${acme}/modules/calendar`, { method: "PUT", json: { allowedPositions: [unit.teacher] } });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { module: unknown }).module).toMatchObject({ id: "calendar", enabled: true, allowedPositions: [unit.teacher], allowedRoles: [] });
    const tess = tabBar(await (await as.tess!.request(`/business/${acme}/workspace`)).text())!;
    const carl = tabBar(await (await as.carl!.request(`/business/${acme}/workspace`)).text())!;
    expect(tess.labels).toContain("Calendar");
    expect(carl.labels).not.toContain("Calendar");
    const calendar = await as.tess!.request(`/business/${acme}/workspace/calendar`);
    expect(calendar.status).toBe(200);
    expect(await calendar.text()).toContain('id="calendar-view"');
    expect((await as.carl!.request(`/business/${acme}/workspace/calendar`)).status).toBe(403);
    // The calendar feature asks the same rule: the business's calendars are not Carl's to see anywhere.
    const calendarsOf = async (who: Browser) => ((await (await who.request("/api/calendars")).json()) as { calendars: { contextId: string }[] }).calendars.map((c) => c.contextId);
    expect(await calendarsOf(as.tess!)).toContain(acme);
    expect(await calendarsOf(as.carl!)).not.toContain(acme);
    expect((await as.carl!.request(`/calendar/grid?view=month&date=2026-12-01&scope=business:${acme}`)).status).toBe(404);
    // Owners and admins are not positions: the restriction holds for them too (except for settings).
    expect(tabBar(await (await as.adam!.request(`/business/${acme}/workspace`)).text())!.labels).not.toContain("Calendar");
  });

  test("restricting by role and by department", async () => {
    await api(ownerToken, `/api/businesses/${acme}/modules/analytics`, { method: "PUT", json: { allowedRoles: ["owner", "manager"] } });
    await api(ownerToken, `/api/businesses/${acme}/modules/chat`, { method: "PUT", json: { allowedDepartments: [unit.sales] } });
    const labels = async (who: string) => tabBar(await (await as[who]!.request(`/business/${acme}/workspace`)).text())!.labels;
    expect(await labels("mona")).toEqual(["Overview", "Members", "Chat", "Analytics"]);
    expect(await labels("tess")).toEqual(["Overview", "Members", "Calendar", "Chat"]);
    expect(await labels("carl")).toEqual(["Overview", "Members"]);
    expect(await labels("adam")).toEqual(["Overview", "Members", "Settings"]);
    const json = (await (await as.mona!.request(`/api/businesses/${acme}/modules`)).json()) as { modules: { id: string; href: string }[] };
    expect(json.modules.map((m) => m.id)).toEqual(["overview", "members", "chat", "analytics"]);
    expect(json.modules[2]!.href).toBe(`/business/${acme}/workspace/chat`);
    await api(ownerToken, `/api/businesses/${acme}/modules/analytics`, { method: "PUT", json: { allowedRoles: [] } });
    await api(ownerToken, `/api/businesses/${acme}/modules/chat`, { method: "PUT", json: { allowedDepartments: [] } });
  });

  test("an htmx tab request gets the panel and the tab bar out of band, with no header", async () => {
    const response = await as.tess!.request(`/business/${acme}/workspace/members`, { headers: htmx });
    expect(response.status).toBe(200);
    expect(response.headers.get("vary")).toContain("HX-Request");
    const html = await response.text();
    expect(html).toStartWith("<title>Members · Acme Ltd · Block on Block</title>");
    expect(html).not.toContain("<header");
    expect(html).not.toContain("<!doctype");
    expect(html).not.toContain('id="workspace-panel"');
    expect(html).toContain('<h2 id="workspace-panel-title"');
    expect(tabBar(html)).toEqual({ labels: ["Overview", "Members", "Calendar", "Chat", "Analytics"], current: ["Members"], oob: true });
  });

  test("back/forward (a history restore) and a boosted load get the whole page with the right tab current", async () => {
    for (const headers of [{ ...htmx, "hx-history-restore-request": "true" }, { ...htmx, "hx-boosted": "true" }]) {
      const html = await (await as.olga!.request(`/business/${acme}/workspace/chat`, { headers })).text();
      expect(html.match(/<header/g)).toHaveLength(1);
      expect(tabBar(html)).toMatchObject({ current: ["Chat"], oob: false });
    }
  });

  test("a member without the overview lands on their first tab, or on an honest empty workspace", async () => {
    await api(ownerToken, `/api/businesses/${acme}/modules/overview`, { method: "PUT", json: { allowedRoles: ["owner", "admin"] } });
    const landing = await as.tess!.request(`/business/${acme}/workspace`);
    expect(landing.status).toBe(302);
    expect(landing.headers.get("location")).toBe(`/business/${acme}/workspace/members`);
    for (const id of ["members", "chat", "analytics"]) await api(ownerToken, `/api/businesses/${acme}/modules/${id}`, { method: "PUT", json: { enabled: false } });
    const empty = await as.carl!.request(`/business/${acme}/workspace`);
    expect(empty.status).toBe(200);
    const html = await empty.text();
    expect(html).toContain("No modules of this business are available to you yet.");
    expect(tabBar(html)).toEqual({ labels: [], current: [], oob: false });
    await api(ownerToken, `/api/businesses/${acme}/modules/overview`, { method: "PUT", json: { allowedRoles: [] } });
    for (const id of ["members", "chat", "analytics"]) await api(ownerToken, `/api/businesses/${acme}/modules/${id}`, { method: "PUT", json: { enabled: true } });
  });

  test("an unknown tab is a 404; a signed-out visit goes to sign in", async () => {
    expect((await as.olga!.request(`/business/${acme}/workspace/payroll`)).status).toBe(404);
    expect((await as.olga!.request(`/business/${acme}/workspace/payroll`, { headers: htmx })).status).toBe(404);
    const anonymous = await t.app.request(`/business/${acme}/workspace`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toStartWith("/login?next=");
  });

  test("opening a workspace makes it the header's active context", async () => {
    await as.mona!.request("/contexts/switch", { method: "POST", form: { context: "personal" } });
    await as.mona!.request(`/business/${acme}/workspace`);
    expect(await (await as.mona!.request("/home")).text()).toMatch(/<summary><span class="visually-hidden">Switch context: <\/span><span class="context-kind kind-company">Business<\/span><span class="context-name">Acme Ltd<\/span>/);
  });

  test("an institution's overview speaks of classes and departments and summarises its members", async () => {
    const html = await (await as.bea!.request(`/business/${school}/workspace`)).text();
    expect(html).toContain("Classes and departments");
    expect(html).toContain("Members of the institution");
    expect(html).toContain("<span>Class 4B</span> <span class=\"muted\">1 member</span>");
    expect(html).toMatch(/1 owner · 1 member/);
    expect(html).toContain("1 member is in no class or department.");
  });

  test("a company's overview counts members by role and by department, departments in name order", async () => {
    const id = await createBusiness(ownerToken, "Counting Co", "company");
    const zed = await addUnit(departments, id, "Zed");
    const alpha = await addUnit(departments, id, "Alpha");
    await addUnit(departments, id, "beta"); // nobody in it
    await addUnit(positions, id, "Clerk");
    const join = async (email: string, role: BusinessRole, departmentId: string | null) => {
      const user = await registerUser(t.app, email, email.split("@")[0]!);
      await t.deps.db.insert(businessMembers).values({ businessId: id, userId: user.id, role, departmentId, joinedAt: Date.now() });
    };
    await join("cc-admin@example.com", "admin", zed);
    await join("cc-m1@example.com", "member", zed);
    await join("cc-m2@example.com", "member", alpha);
    await join("cc-m3@example.com", "member", null);
    await join("cc-manager@example.com", "manager", null);
    const html = await (await as.olga!.request(`/business/${id}/workspace`, { headers: htmx })).text();
    const stats = [...html.matchAll(/<dt>([^<]+)<\/dt><dd>(\d+)<\/dd>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(stats).toEqual(["Members 6", "Departments 3", "Positions 1"]);
    expect(html).toContain("1 owner · 1 admin · 1 manager · 3 members");
    const units = [...html.matchAll(/<li><span>([^<]+)<\/span> <span class="muted">([^<]+)<\/span><\/li>/g)].map((m) => `${m[1]}: ${m[2]}`);
    expect(units).toEqual(["Alpha: 1 member", "Zed: 2 members", "beta: 0 members"]);
    expect(html).toContain("3 members are in no department.");
  });
});

describe("a member of one business reads nothing of another", () => {
  test("every page, fragment and JSON route answers 404 exactly like a business that does not exist", async () => {
    for (const id of [school, "doesnotexist00000000"]) {
      const pages = [`/business/${id}/workspace`, `/business/${id}/workspace/members`, `/business/${id}/workspace/settings`, `/business/${id}/workspace/payroll`];
      for (const path of pages) {
        for (const headers of [{}, htmx]) {
          const response = await as.olga!.request(path, { headers });
          expect(response.status).toBe(404);
          const html = await response.text();
          expect(html).not.toContain("Hill School");
          expect(html).not.toContain("Class 4B");
        }
      }
      const post = await as.olga!.request(`/business/${id}/workspace/settings/modules`, { method: "POST", form: { module: "chat" } });
      expect(post.status).toBe(404);
      expect((await api(ownerToken, `/api/businesses/${id}/modules`)).status).toBe(404);
      const put = await api(ownerToken, `/api/businesses/${id}/modules/chat`, { method: "PUT", json: { enabled: false } });
      expect(put.status).toBe(404);
    }
    // Nothing changed in the school's configuration, and its owner still opens it.
    expect((await as.bea!.request(`/business/${school}/workspace/chat`)).status).toBe(200);
  });
});

describe("a corrupt configuration", () => {
  test("falls back to the safe default and logs the failure", async () => {
    const logs: LogEntry[] = [];
    const original = t.deps.log;
    t.deps.log = (entry) => logs.push(entry);
    try {
      await api(ownerToken, `/api/businesses/${acme}/modules/chat`, { method: "PUT", json: { allowedRoles: ["owner", "admin", "manager", "member"] } });
      await t.deps.db.run(sql`update business_modules set allowed_roles = '{not json' where business_id = ${acme} and module_id = 'chat'`);
      const member = await as.tess!.request(`/business/${acme}/workspace`);
      expect(member.status).toBe(200);
      expect(tabBar(await member.text())!.labels).toEqual(["Overview", "Members"]);
      expect((await as.tess!.request(`/business/${acme}/workspace/calendar`)).status).toBe(403);
      expect(tabBar(await (await as.olga!.request(`/business/${acme}/workspace`)).text())!.labels).toEqual(["Overview", "Members", "Settings"]);
      const json = (await (await as.tess!.request(`/api/businesses/${acme}/modules`)).json()) as { modules: { id: string }[] };
      expect(json.modules.map((m) => m.id)).toEqual(["overview", "members"]);
      const failures = logs.filter((e) => e.level === "error" && e.msg.includes("module configuration failed to load"));
      expect(failures.length).toBeGreaterThanOrEqual(4);
      expect(failures[0]).toMatchObject({ businessId: acme });

      // A value SQLite's JSON functions refuse (a BLOB) is just as bad, and the workspace still opens.
      await t.deps.db.run(sql`update business_modules set allowed_roles = x'5b5d' where business_id = ${acme} and module_id = 'chat'`);
      expect(tabBar(await (await as.tess!.request(`/business/${acme}/workspace`)).text())!.labels).toEqual(["Overview", "Members"]);
      expect(tabBar(await (await as.olga!.request(`/business/${acme}/workspace`, { headers: htmx })).text())!.labels).toEqual(["Overview", "Members", "Settings"]);

      // A value that is JSON but not a list of strings is just as bad.
      await t.deps.db.run(sql`update business_modules set allowed_roles = '[1, 2]' where business_id = ${acme} and module_id = 'chat'`);
      expect(tabBar(await (await as.tess!.request(`/business/${acme}/workspace`)).text())!.labels).toEqual(["Overview", "Members"]);

      // The admin sees why in the settings tab, and saving the module table repairs it.
      const settings = await (await as.olga!.request(`/business/${acme}/workspace/settings`)).text();
      expect(settings).toContain("could not be read");
      const repaired = await api(ownerToken, `/api/businesses/${acme}/modules/chat`, { method: "PUT", json: { allowedRoles: [] } });
      expect(repaired.status).toBe(200);
      logs.length = 0;
      expect(tabBar(await (await as.tess!.request(`/business/${acme}/workspace`)).text())!.labels).toContain("Chat");
      expect(logs.filter((e) => e.level === "error")).toEqual([]);
    } finally {
      t.deps.log = original;
    }
  });
});
