// A module hidden from a member is refused on every route that serves its data — pages, htmx
// fragments and JSON — not only as a tab. Tried as that member would: straight at the API.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../../test/app";
import { addBusinessMember, api, business, person, signedIn, type Person } from "../../test/people";

let t: TestApp;
let owner: Person;
let member: Person;
let outsider: Person;
let acme: string;
beforeAll(async () => {
  t = await createTestApp();
  [owner, member, outsider] = [await person(t, "Olga"), await person(t, "Mick"), await person(t, "Otto")];
  acme = await business(t, owner);
  await addBusinessMember(t, acme, member, "member");
});
afterAll(() => t.close());

const hideMembersFromMembers = () =>
  api(t, owner, `/api/businesses/${acme}/modules/members`, { method: "PUT", json: { enabled: true, allowedRoles: ["owner", "admin", "manager"] } });

describe("the members module, hidden from plain members", () => {
  test("before: the member reads the members list", async () => {
    expect((await api(t, member, `/api/businesses/${acme}/members`)).status).toBe(200);
  });

  test("after: 403 on the JSON list, its writes, the page fragment and the tab; the owner still gets in", async () => {
    expect((await hideMembersFromMembers()).status).toBe(200);
    for (const [method, path, json] of [
      ["GET", `/api/businesses/${acme}/members`, undefined],
      ["POST", `/api/businesses/${acme}/members/bulk`, { action: "remove", rows: [{ userId: owner.id }] }],
      ["PATCH", `/api/businesses/${acme}/members/${owner.id}`, { role: "member" }],
    ] as const) {
      const response = await api(t, member, path, { method, json });
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("module_forbidden");
    }
    const browser = await signedIn(t, member);
    expect((await browser.request(`/business/${acme}/members`, { headers: { "hx-request": "true" } })).status).toBe(403);
    expect((await browser.request(`/business/${acme}/members/${owner.id}/edit`)).status).toBe(403);
    expect((await browser.request(`/business/${acme}/workspace/members`)).status).toBe(403);
    // Invitations belong to the members module too.
    expect((await api(t, member, `/api/businesses/${acme}/members/invitations`)).status).toBe(403);
    expect((await browser.request(`/business/${acme}/invitations`)).status).toBe(403);
    expect((await api(t, owner, `/api/businesses/${acme}/members`)).status).toBe(200);
  });

  test("someone outside the business still gets 404, not 403: nothing about its modules leaks", async () => {
    const probe = await api(t, outsider, `/api/businesses/${acme}/members`);
    expect(probe.status).toBe(404);
    expect(await probe.text()).not.toContain("module");
  });
});
