import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditEvents, businessMembers, businessModules, departments, positions } from "../../schema";
import { newId } from "../../lib/crypto";
import { Browser, createTestApp, loginToken, registerUser, strongPassword, type TestApp } from "../../test/app";
import { safeDefaultConfig, visibleModules, type ModuleConfig } from "./module-config";
import { BUILTIN_MODULES, moduleRegistry, type ModuleDefinition } from "./modules";
import type { BusinessRole } from "./schema";

describe("registry and visibility (no database)", () => {
  const member = (role: BusinessRole, departmentId: string | null = null, positionId: string | null = null) => ({ role, departmentId, positionId });
  const config = (settings: Record<string, Partial<ModuleConfig["modules"][number]["setting"]>>): ModuleConfig => ({
    businessId: "b",
    fallback: false,
    modules: BUILTIN_MODULES.map((module) => ({ module, setting: { ...module.defaults, ...settings[module.id] } })),
  });
  const ids = (modules: ModuleDefinition[]) => modules.map((m) => m.id);

  test("the built-in modules, in tab order; settings defaults to owners and admins", () => {
    expect(ids([...BUILTIN_MODULES])).toEqual(["overview", "members", "calendar", "chat", "analytics", "settings"]);
    expect(ids(visibleModules(config({}), member("member")))).toEqual(["overview", "members", "calendar", "chat", "analytics"]);
    expect(ids(visibleModules(config({}), member("admin")))).toContain("settings");
  });

  test("a member must pass every non-empty list; a disabled module is hidden from everyone", () => {
    const c = config({ chat: { allowedRoles: ["member"], allowedDepartments: ["d1"], allowedPositions: ["p1"] }, analytics: { enabled: false } });
    expect(ids(visibleModules(c, member("member", "d1", "p1")))).toContain("chat");
    expect(ids(visibleModules(c, member("member", "d1", null)))).not.toContain("chat");
    expect(ids(visibleModules(c, member("member", null, "p1")))).not.toContain("chat");
    expect(ids(visibleModules(c, member("manager", "d1", "p1")))).not.toContain("chat");
    expect(ids(visibleModules(c, member("owner")))).not.toContain("analytics");
  });

  test("owners and admins always see settings, even when it is switched off or restricted", () => {
    const c = config({ settings: { enabled: false, allowedPositions: ["nobody"] } });
    expect(ids(visibleModules(c, member("owner")))).toContain("settings");
    expect(ids(visibleModules(c, member("admin")))).toContain("settings");
    expect(ids(visibleModules(c, member("manager")))).not.toContain("settings");
  });

  test("the safe default: overview and members for all, settings for owners and admins", () => {
    const safe = safeDefaultConfig("b");
    expect(ids(visibleModules(safe, member("member")))).toEqual(["overview", "members"]);
    expect(ids(visibleModules(safe, member("admin")))).toEqual(["overview", "members", "settings"]);
  });

  test("the registry grows with other modules but refuses a duplicate id", () => {
    const extra: ModuleDefinition = { id: "payroll", label: "Payroll", description: "Pay.", source: "marketplace", defaults: { enabled: true, allowedRoles: [], allowedDepartments: [], allowedPositions: [] } };
    expect(moduleRegistry([extra]).map((m) => m.id)).toEqual([...BUILTIN_MODULES.map((m) => m.id), "payroll"]);
    expect(() => moduleRegistry([{ ...extra, id: "chat" }])).toThrow("Duplicate module id");
  });
});

describe("configuring modules", () => {
  let t: TestApp;
  let owner: string;
  let manager: string;
  let acme: string;
  let ownDepartment: string;
  let foreignDepartment: string;
  let foreignPosition: string;
  const api = (token: string, path: string, init: { method?: string; json?: unknown } = {}) =>
    t.app.request(path, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${token}`, ...(init.json === undefined ? {} : { "content-type": "application/json" }) },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
  const fieldErrors = async (response: Response) => ((await response.json()) as { error: { details: { fieldErrors: Record<string, string[]> } } }).error.details.fieldErrors;
  const newBusiness = async (token: string, name: string) =>
    ((await (await api(token, "/api/businesses", { method: "POST", json: { name, kind: "company" } })).json()) as { business: { id: string } }).business.id;
  const unit = async (table: typeof departments | typeof positions, businessId: string, name: string) => {
    const id = newId();
    await t.deps.db.insert(table).values({ id, businessId, name, createdAt: Date.now() });
    return id;
  };
  const signedIn = async (email: string) => {
    const browser = new Browser(t.app);
    expect((await browser.request("/login", { method: "POST", form: { email, password: strongPassword } })).status).toBe(303);
    return browser;
  };

  beforeAll(async () => {
    t = await createTestApp();
    await registerUser(t.app, "owner@example.com", "Owner");
    await registerUser(t.app, "other@example.com", "Other");
    const mona = await registerUser(t.app, "mona@example.com", "Mona");
    owner = await loginToken(t.app, "owner@example.com");
    manager = await loginToken(t.app, "mona@example.com");
    acme = await newBusiness(owner, "Acme Ltd");
    const other = await newBusiness(await loginToken(t.app, "other@example.com"), "Other Co");
    ownDepartment = await unit(departments, acme, "Sales");
    foreignDepartment = await unit(departments, other, "Their Sales");
    foreignPosition = await unit(positions, other, "Their Clerk");
    await t.deps.db.insert(businessMembers).values({ businessId: acme, userId: mona.id, role: "manager", joinedAt: Date.now() });
  });
  afterAll(() => t.close());

  test("a department or position of another business, or an unknown one, is a 400 with field details", async () => {
    const foreign = await api(owner, `/api/businesses/${acme}/modules/chat`, { method: "PUT", json: { allowedDepartments: [foreignDepartment] } });
    expect(foreign.status).toBe(400);
    expect(Object.keys(await fieldErrors(foreign))).toEqual(["allowedDepartments"]);
    const mixed = await api(owner, `/api/businesses/${acme}/modules/chat`, {
      method: "PUT",
      json: { allowedDepartments: [ownDepartment], allowedPositions: [foreignPosition, "nope"], allowedRoles: ["king"] },
    });
    expect(mixed.status).toBe(400);
    const errors = await fieldErrors(mixed);
    expect(Object.keys(errors).sort()).toEqual(["allowedPositions", "allowedRoles"]);
    expect(errors.allowedPositions).toHaveLength(2);
    const wrongShape = await api(owner, `/api/businesses/${acme}/modules/chat`, { method: "PUT", json: { enabled: "yes", colour: "red" } });
    expect(wrongShape.status).toBe(400);
    expect(await t.deps.db.select().from(businessModules).where(eq(businessModules.businessId, acme))).toEqual([]);
    expect((await api(owner, `/api/businesses/${acme}/modules/payroll`, { method: "PUT", json: { enabled: false } })).status).toBe(404);
  });

  test("a manager cannot configure modules, through the API or the form", async () => {
    const put = await api(manager, `/api/businesses/${acme}/modules/chat`, { method: "PUT", json: { enabled: false } });
    expect(put.status).toBe(403);
    const browser = await signedIn("mona@example.com");
    const post = await browser.request(`/business/${acme}/workspace/settings/modules`, { method: "POST", form: { module: "chat" } });
    expect(post.status).toBe(403);
    expect((await browser.request(`/business/${acme}/workspace/settings`)).status).toBe(403);
    expect(await t.deps.db.select().from(businessModules).where(eq(businessModules.businessId, acme))).toEqual([]);
  });

  test("every change is audited with the setting before and after; an unchanged save records nothing", async () => {
    const put = await api(owner, `/api/businesses/${acme}/modules/chat`, { method: "PUT", json: { enabled: false, allowedDepartments: [ownDepartment] } });
    expect(put.status).toBe(200);
    const audit = () => t.deps.db.select().from(auditEvents).where(and(eq(auditEvents.action, "business.modules_update"), eq(auditEvents.targetId, acme)));
    const [event] = await audit();
    expect(event!.details).toEqual({
      before: { chat: { enabled: true, allowedRoles: [], allowedDepartments: [], allowedPositions: [] } },
      after: { chat: { enabled: false, allowedRoles: [], allowedDepartments: [ownDepartment], allowedPositions: [] } },
    });
    expect(event!.targetType).toBe("business");
    expect(event!.actorUserId).not.toBeNull();
    expect((await api(owner, `/api/businesses/${acme}/modules/chat`, { method: "PUT", json: { enabled: false } })).status).toBe(200);
    expect(await audit()).toHaveLength(1);
  });

  test("the settings form works without JavaScript (303) and with htmx (the form again, the tab bar out of band)", async () => {
    const browser = await signedIn("owner@example.com");
    const form = new URLSearchParams();
    for (const id of ["overview", "members", "calendar", "chat", "analytics", "settings"]) {
      form.append("module", id);
      if (id !== "analytics") form.append(`${id}.enabled`, "on");
    }
    form.append("settings.allowedRoles", "owner");
    form.append("settings.allowedRoles", "admin");
    form.append("calendar.allowedRoles", "manager");
    form.append("calendar.allowedRoles", "owner");
    const post = (headers: Record<string, string>, body: URLSearchParams) =>
      browser.request(`/business/${acme}/workspace/settings/modules`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: body.toString() });
    const plain = await post({}, form);
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe(`/business/${acme}/workspace/settings`);
    const rows = await t.deps.db.select().from(businessModules).where(eq(businessModules.businessId, acme));
    expect(rows.find((r) => r.moduleId === "analytics")!.enabled).toBe(false);
    expect(rows.find((r) => r.moduleId === "calendar")!.allowedRoles).toEqual(["manager", "owner"]);
    expect(rows.find((r) => r.moduleId === "chat")!.allowedDepartments).toEqual([]);

    form.set("analytics.enabled", "on");
    const viaHtmx = await post({ "hx-request": "true" }, form);
    expect(viaHtmx.status).toBe(200);
    const html = await viaHtmx.text();
    expect(html).toStartWith('<form id="module-config"');
    expect(html).toContain("Module settings saved.");
    expect(html).toMatch(/<nav id="workspace-tabs"[^>]*hx-swap-oob="true"/);
    expect(html).toContain(">Analytics</a>");
    expect(html).not.toContain("<header");

    form.append("chat.allowedDepartments", foreignDepartment);
    const bad = await post({ "hx-request": "true" }, form);
    expect(bad.status).toBe(400);
    const errorHtml = await bad.text();
    expect(errorHtml).toStartWith('<form id="module-config"');
    expect(errorHtml).toContain('id="module-config-chat-allowedDepartments-error"');
    expect(errorHtml).toContain("is not a department of this business");
    const plainBad = await post({}, form);
    expect(plainBad.status).toBe(400);
    const page = await plainBad.text();
    expect(page.match(/<header/g)).toHaveLength(1);
    expect(page).toContain('id="module-config-chat-allowedDepartments-error"');
    const after = await t.deps.db.select().from(businessModules).where(and(eq(businessModules.businessId, acme), eq(businessModules.moduleId, "chat")));
    expect(after[0]!.allowedDepartments).toEqual([]);
  });
});
