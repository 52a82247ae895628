import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, registerUser, signedInBrowser, type Browser, type TestApp } from "../../test/app";
import { recordAudit } from "../audit";
import { auditEvents } from "../audit/schema";
import { dataIds, htmx } from "./admin.fixture";

let t: TestApp;
let admin: Browser;
let adminId: string;
let memberId: string;
const seeded = new Map<string, string>();

const T0 = Date.UTC(2024, 0, 10, 12);
const HOUR = 3_600_000;
const meta = { ipAddress: "192.0.2.1", userAgent: "test", requestId: "seed" };

beforeAll(async () => {
  t = await createTestApp();
  adminId = (await registerUser(t.app, "root@example.com", "Root")).id;
  memberId = (await registerUser(t.app, "Member@example.com", "Member")).id;
  admin = await signedInBrowser(t.app, "root@example.com");
  // Twelve events in the very same millisecond, so paging must break ties on the id.
  for (let i = 0; i < 12; i++) await recordAudit(t.deps.db, T0, meta, { actorUserId: adminId, action: "billing.charge", targetType: "invoice", targetId: `inv-${i}` });
  for (let i = 0; i < 5; i++) await recordAudit(t.deps.db, Date.UTC(2024, 0, 11) + i * HOUR, meta, { actorUserId: memberId, action: "auth.login", targetType: "user", targetId: memberId });
  await recordAudit(t.deps.db, Date.UTC(2024, 0, 12, 23, 59, 59, 999), meta, { actorUserId: null, action: "auth.login_failed", targetType: "user", targetId: memberId });
  await recordAudit(t.deps.db, Date.UTC(2024, 0, 13), meta, { actorUserId: adminId, action: "authz.other", targetType: "thing", targetId: "x" });
  for (const row of await t.deps.db.select().from(auditEvents)) seeded.set(row.id, `${row.action}@${row.at}`);
});
afterAll(() => t.close());

const JAN = "&from=2024-01-01&to=2024-01-31";

async function ids(query: string) {
  const response = await admin.request(`/admin-portal/audit?${query}`, { headers: htmx });
  expect(response.status).toBe(200);
  return dataIds(await response.text(), "event");
}

function actionsOf(list: string[]) {
  return list.map((id) => seeded.get(id)!.split("@")[0]);
}

function olderLink(html: string): string | null {
  const match = html.match(/href="([^"]+)" rel="next"/);
  return match ? match[1]!.replaceAll("&amp;", "&") : null;
}

describe("audit log filters", () => {
  test("action: exact, or a prefix ending in a dot or *", async () => {
    expect(actionsOf(await ids(`action=auth.login${JAN}`))).toEqual(Array(5).fill("auth.login"));
    expect(new Set(actionsOf(await ids(`action=auth.${JAN}`)))).toEqual(new Set(["auth.login", "auth.login_failed"]));
    expect(new Set(actionsOf(await ids(`action=auth*${JAN}`)))).toEqual(new Set(["auth.login", "auth.login_failed", "authz.other"]));
    expect(await ids(`action=auth${JAN}`)).toEqual([]);
  });

  test("actor: a user id, or an email in any case; an unknown email matches nothing", async () => {
    const byId = await ids(`actor=${memberId}${JAN}`);
    expect(actionsOf(byId)).toEqual(Array(5).fill("auth.login"));
    expect(await ids(`actor=MEMBER%40example.com${JAN}`)).toEqual(byId);
    expect(await ids(`actor=nobody%40example.com`)).toEqual([]);
  });

  test("target: type, and type with id", async () => {
    expect(await ids(`targetType=invoice&limit=100`)).toHaveLength(12);
    const one = await ids(`targetType=invoice&targetId=inv-3`);
    expect(one).toHaveLength(1);
    expect(await ids(`targetType=user&targetId=${memberId}${JAN}`)).toHaveLength(6);
  });

  test("time range: whole UTC days, both ends included", async () => {
    expect(actionsOf(await ids("from=2024-01-12&to=2024-01-12"))).toEqual(["auth.login_failed"]);
    expect(actionsOf(await ids("from=2024-01-13&to=2024-01-13"))).toEqual(["authz.other"]);
    expect(await ids("from=2024-01-11&to=2024-01-11")).toHaveLength(5);
    expect(await ids("to=2024-01-10&limit=100")).toHaveLength(12);
  });

  test("newest first, paged by a cursor on (at, id): every event once, ties included", async () => {
    const pages: string[][] = [];
    let href: string | null = "/admin-portal/audit?targetType=invoice&limit=5";
    while (href) {
      const response = await admin.request(href, { headers: htmx });
      expect(response.status).toBe(200);
      const html = await response.text();
      pages.push(dataIds(html, "event"));
      if (pages.length > 1) expect(html).toContain('href="/admin-portal/audit?targetType=invoice&amp;limit=5" rel="prev"');
      href = olderLink(html);
      expect(pages.length).toBeLessThan(10);
    }
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    const all = pages.flat();
    expect(new Set(all).size).toBe(12);
    expect(all).toEqual([...all].sort().reverse());
  });

  test("the whole log pages through every event, newest first", async () => {
    const total = (await t.deps.db.select().from(auditEvents)).length;
    const seen: string[] = [];
    let href: string | null = "/admin-portal/audit?limit=7";
    while (href) {
      const html = await (await admin.request(href)).text();
      seen.push(...dataIds(html, "event"));
      href = olderLink(html);
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const rows = await t.deps.db.select({ id: auditEvents.id, at: auditEvents.at }).from(auditEvents);
    const at = new Map(rows.map((r) => [r.id, r.at]));
    for (let i = 1; i < seen.length; i++) expect(at.get(seen[i - 1]!)!).toBeGreaterThanOrEqual(at.get(seen[i]!)!);
  });
});

describe("audit log input", () => {
  test("bad filters are a 400 with the error beside the field, never a 500", async () => {
    const cases: [string, string, string][] = [
      ["from=2024-13-01", "audit-from-error", "That date does not exist."],
      ["from=yesterday", "audit-from-error", "YYYY-MM-DD"],
      ["to=2024-02-30", "audit-to-error", "That date does not exist."],
      ["from=2024-02-02&to=2024-02-01", "audit-to-error", "The end date is before the start date."],
      ["action=auth login", "audit-action-error", "An action is"],
      ["action=%25", "audit-action-error", "An action is"],
      [`actor=${"a".repeat(10_000)}`, "audit-actor-error", "at most 254"],
      ["targetType=user'--", "audit-targetType-error", "A target type is"],
    ];
    for (const [query, errorId, message] of cases) {
      const response = await admin.request(`/admin-portal/audit?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      const html = await response.text();
      expect(html).toContain(`id="${errorId}"`);
      expect(html).toContain(message);
    }
  });

  test("a damaged cursor or page size is a 400 with a message, never a 500", async () => {
    for (const query of ["cursor=garbage", "cursor=1.%24%24", "cursor=99999999999999999999.abc", "cursor=😀", "limit=0", "limit=101", "limit=x"]) {
      const response = await admin.request(`/admin-portal/audit?${query}`, { headers: htmx });
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(await response.text()).toContain('class="form-message error"');
    }
  });

  test("quotes, % and emoji in free-text filters are only text", async () => {
    for (const query of ["targetId=%25", "targetId=_", "targetId=%27%22", "targetId=%F0%9F%A6%8A", "actor=%27%20or%201%3D1--"]) {
      expect(await ids(query)).toEqual([]);
    }
  });

  test("the filter form is a plain GET form, upgraded with htmx to swap the results and push the address", async () => {
    const page = await (await admin.request("/admin-portal/audit?action=auth.")).text();
    expect(page).toContain('<form id="audit-filter" class="card filter-form" method="get" action="/admin-portal/audit" hx-get="/admin-portal/audit" hx-target="#audit-results" hx-swap="outerHTML" hx-push-url="true"');
    expect(page).toContain('value="auth."');
    const fragment = await (await admin.request("/admin-portal/audit?action=auth.", { headers: htmx })).text();
    expect(fragment).not.toContain("<header");
    expect(fragment).toContain('id="audit-results"');
    expect(fragment).toContain('hx-swap-oob="true"');
  });
});
