// The member table a page at a time, and one row's edit form on demand (members-routes.test.ts has
// the forms' rules).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../../test/app";
import { business, person, type Person, roleOf, signedIn } from "../../test/people";
import { createUnit } from "./service";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: "off" });
});
afterAll(() => t.close());

const htmx = { "hx-request": "true" };
const meta = { ipAddress: "127.0.0.1", userAgent: "test", requestId: "test" };
const rowIds = (html: string) => [...html.matchAll(/<tr id="member-row-([^"]+)"/g)].map((m) => m[1]);

async function post(who: Person, path: string, pairs: [string, string][], headers: Record<string, string> = {}) {
  return (await signedIn(t, who)).request(path, {
    method: "POST",
    body: new URLSearchParams(pairs).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  });
}

/** An owner, an admin, and 28 members named "Member 01"…"Member 28" (30 in all, two pages). */
async function bigTeam() {
  const [owner, admin] = [await person(t, "Zed Owner"), await person(t, "Adam Admin")];
  const members = await Promise.all(Array.from({ length: 28 }, (_, i) => person(t, `Member ${String(i + 1).padStart(2, "0")}`)));
  const id = await business(t, owner, [[admin, "admin"], ...members.map((m): [Person, "member"] => [m, "member"])]);
  return { id, owner, admin, members };
}

describe("the member table, a page at a time", () => {
  test("25 rows a page by name; page links work as plain links and as htmx swaps; a page past the end shows the last", async () => {
    const { id, owner, admin, members } = await bigTeam();
    const browser = await signedIn(t, admin);
    const first = await (await browser.request(`/business/${id}/members`, { headers: htmx })).text();
    expect(first).toContain("30 members");
    expect(rowIds(first)).toEqual([admin.id, ...members.slice(0, 24).map((m) => m.id)]);
    expect(first).toContain('aria-label="Member pages"');
    expect(first).toContain("Page 1 of 2 · members 1–25 of 30");
    expect(first).toContain(
      `href="/business/${id}/workspace/members?page=2" hx-get="/business/${id}/members?page=2" hx-target="#members-panel" hx-swap="outerHTML" hx-push-url="/business/${id}/workspace/members?page=2"`,
    );
    expect(first).not.toContain("Previous page");

    const second = await (await browser.request(`/business/${id}/members?page=2`, { headers: htmx })).text();
    expect(rowIds(second)).toEqual([...members.slice(24).map((m) => m.id), owner.id]);
    expect(second).toContain("Previous page");
    expect(second).not.toContain("Next page");
    // The bulk form acts on this page's ticked rows and comes back to this page.
    expect(second).toContain(`action="/business/${id}/members/bulk?page=2"`);
    expect(second).toContain(`href="/business/${id}/workspace/members?page=2&amp;edit=${members[24]!.id}"`);

    const page = await (await browser.request(`/business/${id}/workspace/members?page=2`)).text();
    expect(page).toContain("<header");
    expect(rowIds(page)).toEqual(rowIds(second));
    const past = await (await browser.request(`/business/${id}/members?page=9`, { headers: htmx })).text();
    expect(rowIds(past)).toEqual(rowIds(second));
    for (const junk of ["0", "-1", "abc", "1.5"]) {
      expect(rowIds(await (await browser.request(`/business/${id}/members?page=${junk}`, { headers: htmx })).text())).toEqual(rowIds(first));
    }
  });

  test("a change from page 2 comes back to page 2; an error about a row the page does not show is said above the table", async () => {
    const { id, admin, members } = await bigTeam();
    const onSecond = members[27]!;
    const plain = await post(admin, `/business/${id}/members/${onSecond.id}/update?page=2`, [["role", "manager"], ["departmentId", ""], ["positionId", ""]]);
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe(`/business/${id}/workspace/members?notice=member-saved&page=2`);
    expect((await roleOf(t, id, onSecond))?.role).toBe("manager");
    const viaHtmx = await post(admin, `/business/${id}/members/bulk?page=2`, [["action", "remove"], ["userId", onSecond.id]], htmx);
    const confirm = await viaHtmx.text();
    expect(confirm).toContain("Remove this member?");
    expect(confirm).toContain("Page 2 of 2");
    expect(confirm.match(new RegExp(`action="/business/${id}/members/bulk\\?page=2"`, "g"))).toHaveLength(2); // the confirm step and the bulk form
    const bad = await post(admin, `/business/${id}/members/${onSecond.id}/update`, [["role", "owner"]], htmx);
    expect(bad.status).toBe(403);
    const html = await bad.text();
    expect(html).toContain("Page 1 of 2");
    expect(html).toMatch(/class="form-message error" role="alert">Only an owner[^<]*</);
  });
});

describe("one row's edit form, on demand", () => {
  test("htmx gets the row with its form; without JavaScript the tab shows it (?edit=); Save posts as before", async () => {
    const { id, admin, members } = await bigTeam();
    const target = members[0]!;
    const driver = await createUnit(t.deps, admin.id, id, "position", "Driver", meta);
    const browser = await signedIn(t, admin);
    const row = await browser.request(`/business/${id}/members/${target.id}/edit`, { headers: htmx });
    expect(row.status).toBe(200);
    const html = await row.text();
    expect(html).toStartWith(`<tr id="member-row-${target.id}" class="member-editing">`);
    expect(html).toMatch(new RegExp(`<select id="member-${target.id}-role" name="role" form="member-${target.id}" aria-label="Role of Member 01" autofocus`));
    expect(html).toContain(`<option value="${driver.id}">Driver</option>`);
    expect(html).toContain(`<form id="member-${target.id}" method="post" action="/business/${id}/members/${target.id}/update"`);
    expect(html).toContain("Remove…");
    expect(html).toContain(`href="/business/${id}/workspace/members" hx-get="/business/${id}/members"`); // Cancel

    const plain = await browser.request(`/business/${id}/members/${target.id}/edit?page=2`);
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe(`/business/${id}/workspace/members?page=2&edit=${target.id}`);
    const page = await (await browser.request(`/business/${id}/workspace/members?edit=${target.id}`)).text();
    expect(page).toContain("<header");
    expect(page).toContain(`id="member-${target.id}-positionId"`);
    expect(page.match(/class="member-editing"/g)).toHaveLength(1);

    const saved = await post(admin, `/business/${id}/members/${target.id}/update`, [["role", "member"], ["departmentId", ""], ["positionId", driver.id]], htmx);
    expect(saved.status).toBe(200);
    const panel = await saved.text();
    expect(panel).toContain("The member is saved.");
    expect(panel).not.toContain('class="member-editing"');
    expect(panel).toMatch(new RegExp(`<tr id="member-row-${target.id}">.*?<td>Member</td><td><span class="muted">—</span></td><td>Driver</td>`));
  });

  test("who may not edit a row is told above the table (403/404), and ?edit= shows them nothing to edit", async () => {
    const [owner, admin, manager] = [await person(t, "Owner X"), await person(t, "Admin X"), await person(t, "Manager X")];
    const id = await business(t, owner, [[admin, "admin"], [manager, "manager"]]);
    const cases: [Person, string, number, string][] = [
      [manager, admin.id, 403, "Only a business admin or owner may change members."],
      [admin, owner.id, 403, "Only an owner may change an owner."],
      [admin, "nosuchuser", 404, "That user is not a member of this business."],
    ];
    for (const [who, target, status, message] of cases) {
      const response = await (await signedIn(t, who)).request(`/business/${id}/members/${target}/edit`, { headers: htmx });
      expect(response.status).toBe(status);
      expect(response.headers.get("hx-retarget")).toBe("#members-panel");
      expect(response.headers.get("hx-reswap")).toBe("outerHTML");
      const html = await response.text();
      expect(html).toStartWith('<section id="members-panel"');
      expect(html).toContain(message);
    }
    const managerPage = await (await (await signedIn(t, manager)).request(`/business/${id}/workspace/members?edit=${admin.id}`)).text();
    expect(managerPage).not.toContain("<select");
    const adminPage = await (await (await signedIn(t, admin)).request(`/business/${id}/workspace/members?edit=${owner.id}`)).text();
    expect(adminPage).not.toContain('class="member-editing"');
  });
});
