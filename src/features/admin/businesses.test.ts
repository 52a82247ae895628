import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { newId } from "../../lib/crypto";
import { createTestApp, registerUser, signedInBrowser, type TestApp } from "../../test/app";
import { businesses, businessMembers, departments, positions } from "../workspace/schema";
import { dataIds, htmx, seedUser } from "./admin.fixture";

let t: TestApp;
const ids = { acme: "", school: "", empty: "" };

async function addBusiness(name: string, kind: "company" | "institution", createdAt: number, description = "") {
  const id = newId();
  await t.deps.db.insert(businesses).values({ id, name, kind, description, createdAt, updatedAt: createdAt });
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  await registerUser(t.app, "root@example.com", "Root");
  const now = t.deps.now();
  ids.acme = await addBusiness("Acme 100% Ltd", "company", now, "Anvils & <b>rockets</b>");
  ids.school = await addBusiness("Snake_School", "institution", now + 1);
  ids.empty = await addBusiness("Quiet Co", "company", now + 2);
  const owner = await seedUser(t, { name: "Olive Owner", email: "olive@example.com" });
  const worker = await seedUser(t, { name: "Walt Worker", email: "walt@example.com" });
  const dept = newId();
  const pos = newId();
  await t.deps.db.insert(departments).values({ id: dept, businessId: ids.acme, name: "Testing", createdAt: now });
  await t.deps.db.insert(positions).values({ id: pos, businessId: ids.acme, name: "Tester", createdAt: now });
  await t.deps.db.insert(businessMembers).values([
    { businessId: ids.acme, userId: worker.id, role: "member", departmentId: dept, positionId: pos, joinedAt: now },
    { businessId: ids.acme, userId: owner.id, role: "owner", joinedAt: now },
    { businessId: ids.school, userId: owner.id, role: "admin", joinedAt: now },
  ]);
});
afterAll(() => t.close());

async function get(path: string, headers: Record<string, string> = {}) {
  const admin = await signedInBrowser(t.app, "root@example.com");
  return admin.request(path, { headers });
}

describe("businesses in the admin portal", () => {
  test("lists every business with kind, member count and creation time, newest first", async () => {
    const html = await (await get("/admin-portal/businesses")).text();
    expect(dataIds(html, "business")).toEqual([ids.empty, ids.school, ids.acme]);
    const acmeRow = html.slice(html.indexOf(`data-business="${ids.acme}"`));
    expect(acmeRow).toMatch(/^[^]*?Acme 100% Ltd<\/a><\/th><td>Company<\/td><td class="numeric">2<\/td>/);
    const schoolRow = html.slice(html.indexOf(`data-business="${ids.school}"`));
    expect(schoolRow).toMatch(/^[^]*?<td>Institution<\/td><td class="numeric">1<\/td>/);
  });

  test("search by name: %, _ and case are plain text", async () => {
    const percent = await (await get("/admin-portal/businesses?q=%25", htmx)).text();
    expect(dataIds(percent, "business")).toEqual([ids.acme]);
    const underscore = await (await get("/admin-portal/businesses?q=_", htmx)).text();
    expect(dataIds(underscore, "business")).toEqual([ids.school]);
    const upper = await (await get("/admin-portal/businesses?q=QUIET", htmx)).text();
    expect(dataIds(upper, "business")).toEqual([ids.empty]);
    const long = await get(`/admin-portal/businesses?q=${"🦊".repeat(5000)}`);
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('id="business-search-q-error"');
  });

  test("a business opens read-only with its members and their roles", async () => {
    const response = await get(`/admin-portal/businesses/${ids.acme}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<h1>Acme 100% Ltd</h1>");
    expect(html).toContain("Anvils &amp; &lt;b&gt;rockets&lt;/b&gt;");
    expect(html).not.toContain("<b>rockets</b>");
    expect(html.slice(html.indexOf("<main")).match(/method="post"/g)).toBeNull();
    const members = html.slice(html.indexOf('id="members-heading"'));
    expect(members.indexOf("Olive Owner")).toBeLessThan(members.indexOf("Walt Worker"));
    expect(members).toMatch(/Olive Owner<\/th><td class="break">olive@example.com<\/td><td>Owner<\/td>/);
    expect(members).toMatch(/Walt Worker<\/th><td class="break">walt@example.com<\/td><td>Member<\/td><td>Testing<\/td><td>Tester<\/td>/);
  });

  test("an unknown or malformed business id is a 404", async () => {
    for (const id of ["nosuchbusiness", "%27%20or%201%3D1", "x".repeat(300)]) {
      const response = await get(`/admin-portal/businesses/${id}`);
      expect({ id, status: response.status }).toEqual({ id, status: 404 });
    }
  });
});
