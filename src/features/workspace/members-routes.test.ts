import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { users } from "../../schema";
import { createTestApp, type TestApp } from "../../test/app";
import { addBusinessMember, api, auditFor, business, person, type Person, roleOf, signedIn } from "../../test/people";
import { listUnits } from "./service";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: "off" });
});
afterAll(() => t.close());

const htmx = { "hx-request": "true" };

async function team() {
  const [owner, admin, manager, member, outsider] = await Promise.all(["Owner", "Admin", "Manager", "Member <b>bold</b>", "Outsider"].map((n) => person(t, n)));
  const id = await business(t, owner!, [[admin!, "admin"], [manager!, "manager"], [member!, "member"]]);
  await business(t, outsider!, [], "Outsider's");
  return { id, owner: owner!, admin: admin!, manager: manager!, member: member!, outsider: outsider! };
}

/** Posts a urlencoded form in which keys may repeat, as `who` signed in through the browser. */
async function post(who: Person, path: string, pairs: [string, string][], headers: Record<string, string> = {}) {
  const browser = await signedIn(t, who);
  return browser.request(path, {
    method: "POST",
    body: new URLSearchParams(pairs).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  });
}

async function blockIdOf(who: Person) {
  const [row] = await t.deps.db.select({ blockId: users.blockId }).from(users).where(eq(users.id, who.id));
  return row!.blockId;
}

/** A member's row of the table in `html`, from its <tr> to its </tr>. */
const rowOf = (html: string, who: Person) => html.match(new RegExp(`<tr id="member-row-${who.id}"[^>]*>.*?</tr>`))?.[0] ?? "";

async function addUnit(who: Person, id: string, kind: "department" | "position", name: string) {
  const response = await post(who, `/business/${id}/members/units/${kind}`, [["name", name]]);
  expect(response.status).toBe(303);
  return (await listUnits(t.deps, id, kind)).find((u) => u.name === name)!.id;
}

describe("the members panel", () => {
  test("admins get checkboxes, an Edit link per row, the bulk form and the departments; managers and members read only", async () => {
    const { id, owner, admin, manager, member } = await team();
    const adminView = await (await (await signedIn(t, admin)).request(`/business/${id}/members`, { headers: htmx })).text();
    expect(adminView).toStartWith('<section id="members-panel"');
    expect(adminView).toContain('form="members-bulk"');
    expect(adminView).toContain('id="members-bulk"');
    expect(adminView).toContain('class="members-units"');
    expect(adminView).toContain("Member &lt;b&gt;bold&lt;/b&gt;");
    expect(adminView).not.toContain("<b>bold</b>");
    expect(adminView).toContain(`href="/business/${id}/invitations"`);
    // Rows are text until opened: an Edit link (htmx: the row's form; without JS: the tab with ?edit=).
    expect(adminView).toContain(`href="/business/${id}/workspace/members?edit=${member.id}" hx-get="/business/${id}/members/${member.id}/edit"`);
    expect(adminView).not.toContain(`id="member-${member.id}-role"`);
    expect(adminView.match(/<select/g)).toHaveLength(3); // the bulk form's role, department and position
    // An admin may not change an owner: no box, no Edit.
    expect(adminView).not.toContain(`value="${owner.id}" form="members-bulk"`);
    expect(adminView).not.toContain(`/members/${owner.id}/edit`);
    expect(adminView).toContain("Only an owner may change an owner.");
    for (const who of [manager, member]) {
      const html = await (await (await signedIn(t, who)).request(`/business/${id}/members`, { headers: htmx })).text();
      expect(html).toStartWith('<section id="members-panel"');
      expect(html).toContain("Admin");
      expect(html).not.toContain('form="members-bulk"');
      expect(html).not.toContain("<select");
      expect(html).not.toContain("/edit");
      expect(html).not.toContain('class="members-units"');
      expect(html).not.toContain("/invitations");
      expect(html).toContain("Leave this business");
    }
  });

  test("the workspace's members tab shows the panel, and a ?notice= shows only its fixed text", async () => {
    const { id, admin } = await team();
    const browser = await signedIn(t, admin);
    const page = await browser.request(`/business/${id}/workspace/members?notice=member-saved`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('id="members-panel"');
    expect(html).toContain("The member is saved.");
    const forged = await (await browser.request(`/business/${id}/workspace/members?notice=%3Cscript%3E`)).text();
    expect(forged).not.toContain("<script>alert");
    expect(forged).not.toContain('class="form-message success"');
  });

  test("the Block ID column follows the name: each member's Block ID with its copy button, a dash when there is none", async () => {
    const { id, admin, manager, member } = await team();
    const blockId = await blockIdOf(member);
    expect(blockId).toMatch(/^\d{1,4}-\d{3}-\d{3}-\d{6}$/);
    await t.deps.db.update(users).set({ blockId: null }).where(eq(users.id, manager.id));
    const cell = `<td><span class="block-id"><code class="block-id-value">${blockId}</code><button type="button" class="copy-button" data-copy="${blockId}" aria-label="Copy Block ID ${blockId}" hidden>Copy</button></span></td>`;
    for (const [who, path] of [[admin, `/business/${id}/members`], [member, `/business/${id}/members`], [admin, `/business/${id}/workspace/members`]] as const) {
      const html = await (await (await signedIn(t, who)).request(path, { headers: htmx })).text();
      expect(html).toContain('<th scope="col">Name</th><th scope="col">Block ID</th><th scope="col">Role</th>');
      expect(rowOf(html, member)).toContain(`</th>${cell}<td>Member</td>`);
      expect(rowOf(html, manager)).toContain('</th><td><span class="muted">—</span></td><td>Manager</td>');
    }
    // The row's edit form (on demand) keeps the Block ID beside the name.
    const editRow = await (await (await signedIn(t, admin)).request(`/business/${id}/members/${member.id}/edit`, { headers: htmx })).text();
    expect(editRow).toMatch(new RegExp(`</th><td><span class="block-id"><code class="block-id-value">${blockId}</code><button type="button" class="copy-button" data-copy="${blockId}"`));
  });

  test("the tab shows what is stored at each view, to each viewer as theirs: nothing kept from an earlier view comes back", async () => {
    const { id, owner, admin, member } = await team();
    const other = await person(t, "Other Member");
    await addBusinessMember(t, id, other, "member");
    const tab = async (who: Person) => (await (await signedIn(t, who)).request(`/business/${id}/workspace/members`, { headers: htmx })).text();
    const first = await tab(admin);
    expect(rowOf(first, member)).toContain("<td>Member</td>");
    expect(first).toContain(`form="members-bulk"`);
    expect(first).toContain(`href="/business/${id}/workspace/calendar"`); // the tab bar, sent along out of band
    // Viewers of the same page with the same role get their own view: no bulk form, each their own "You".
    const [asMember, asOther] = [await tab(member), await tab(other)];
    expect(asMember).not.toContain('form="members-bulk"');
    expect(rowOf(asMember, member)).toContain('<span class="badge">You</span>');
    expect(rowOf(asMember, other)).not.toContain('<span class="badge">You</span>');
    expect(rowOf(asOther, other)).toContain('<span class="badge">You</span>');
    expect(rowOf(asOther, member)).not.toContain('<span class="badge">You</span>');
    // Each change after a view shows at the next one: a module switched off (the tab bar) …
    expect((await api(t, owner, `/api/businesses/${id}/modules/calendar`, { method: "PUT", json: { enabled: false } })).status).toBe(200);
    const second = await tab(admin);
    expect(second).not.toContain(`href="/business/${id}/workspace/calendar"`);
    expect(rowOf(second, member)).toBe(rowOf(first, member));
    // … a role (form post) …
    expect((await post(owner, `/business/${id}/members/${member.id}/update`, [["role", "manager"], ["departmentId", ""], ["positionId", ""]])).status).toBe(303);
    expect(rowOf(await tab(admin), member)).toContain("<td>Manager</td>");
    // … and a Block ID and a name, as a move or a profile edit would store them.
    await t.deps.db.update(users).set({ blockId: "44-000-000-999999", name: "Renamed Member" }).where(eq(users.id, member.id));
    const last = await tab(admin);
    expect(rowOf(last, member)).toContain('<code class="block-id-value">44-000-000-999999</code>');
    expect(rowOf(last, member)).toContain('<span class="member-name">Renamed Member</span>');
    expect(await tab(admin)).toBe(last);
  });

  test("without htmx the fragment address sends one to the tab", async () => {
    const { id, member } = await team();
    const response = await (await signedIn(t, member)).request(`/business/${id}/members`);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/business/${id}/workspace/members`);
  });
});

describe("a member of another business reads and changes nothing", () => {
  test("every members page, fragment and form post answers 404 and changes nothing", async () => {
    const { id, outsider, member } = await team();
    const browser = await signedIn(t, outsider);
    expect((await browser.request(`/business/${id}/members`, { headers: htmx })).status).toBe(404);
    expect((await browser.request(`/business/${id}/members`)).status).toBe(404);
    expect((await browser.request(`/business/${id}/workspace/members`)).status).toBe(404);
    expect((await browser.request(`/business/${id}/members/${member.id}/edit`, { headers: htmx })).status).toBe(404);
    expect((await browser.request(`/business/${id}/members/${member.id}/edit`)).status).toBe(404);
    const posts: [string, [string, string][]][] = [
      [`/business/${id}/members/${member.id}/update`, [["role", "admin"]]],
      [`/business/${id}/members/bulk`, [["action", "remove"], ["userId", member.id], ["confirm", "yes"]]],
      [`/business/${id}/members/bulk`, [["action", "update"], ["userId", member.id], ["role", "admin"]]],
      [`/business/${id}/members/leave`, [["confirm", "yes"]]],
      [`/business/${id}/members/units/department`, [["name", "Sneaky"]]],
      [`/business/${id}/members/units/nonsense`, [["name", "Sneaky"]]],
    ];
    for (const [path, pairs] of posts) {
      for (const headers of [{}, htmx]) {
        const response = await post(outsider, path, pairs, headers);
        expect([path, response.status]).toEqual([path, 404]);
        expect(await response.text()).not.toContain("Member &lt;b&gt;");
      }
    }
    expect((await roleOf(t, id, member))?.role).toBe("member");
    expect(await listUnits(t.deps, id, "department")).toEqual([]);
  });
});

describe("changing members through forms", () => {
  test("a plain form saves and redirects (303); htmx gets the fresh panel", async () => {
    const { id, admin, member } = await team();
    const dept = await addUnit(admin, id, "department", "Kitchen");
    const plain = await post(admin, `/business/${id}/members/${member.id}/update`, [["role", "manager"], ["departmentId", dept], ["positionId", ""]]);
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe(`/business/${id}/workspace/members?notice=member-saved`);
    expect(await roleOf(t, id, member)).toMatchObject({ role: "manager", departmentId: dept });
    const viaHtmx = await post(admin, `/business/${id}/members/${member.id}/update`, [["role", "member"], ["departmentId", ""], ["positionId", ""]], htmx);
    expect(viaHtmx.status).toBe(200);
    const html = await viaHtmx.text();
    expect(html).toStartWith('<section id="members-panel"');
    expect(html).toContain("The member is saved.");
    expect(await roleOf(t, id, member)).toMatchObject({ role: "member", departmentId: null });
    expect(await auditFor(t, id, "business.member_update")).toHaveLength(2);
  });

  test("errors come back in place: a foreign department in the row (422), the last owner (409), with htmx and without", async () => {
    const { id, owner, member, outsider } = await team();
    const theirs = await business(t, outsider, [], "Theirs");
    const foreignDept = await addUnit(outsider, theirs, "department", "Foreign");
    const bad = await post(owner, `/business/${id}/members/${member.id}/update`, [["role", "member"], ["departmentId", foreignDept], ["positionId", ""]], htmx);
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toStartWith('<section id="members-panel"');
    expect(html).toContain(`id="member-${member.id}-error"`);
    expect(html).toContain("There is no such department in this business.");
    expect(html).toMatch(new RegExp(`id="member-${member.id}-departmentId"[^>]*aria-invalid="true"`));
    const lastOwner = await post(owner, `/business/${id}/members/${owner.id}/update`, [["role", "admin"], ["departmentId", ""], ["positionId", ""]]);
    expect(lastOwner.status).toBe(409);
    const page = await lastOwner.text();
    expect(page).toContain("<header");
    expect(page).toContain("last owner");
    expect((await roleOf(t, id, owner))?.role).toBe("owner");
  });

  test("a manager cannot do an admin's work through the forms (403), and nothing changes", async () => {
    const { id, manager, member } = await team();
    const attempts: [string, [string, string][]][] = [
      [`/business/${id}/members/${member.id}/update`, [["role", "admin"], ["departmentId", ""], ["positionId", ""]]],
      [`/business/${id}/members/${manager.id}/update`, [["role", "admin"], ["departmentId", ""], ["positionId", ""]]],
      [`/business/${id}/members/bulk`, [["action", "update"], ["userId", member.id], ["role", "admin"]]],
      [`/business/${id}/members/bulk`, [["action", "remove"], ["userId", member.id]]],
      [`/business/${id}/members/bulk`, [["action", "remove"], ["userId", member.id], ["confirm", "yes"]]],
      [`/business/${id}/members/units/position`, [["name", "Boss"]]],
    ];
    for (const [path, pairs] of attempts) {
      const response = await post(manager, path, pairs, htmx);
      expect([path, response.status]).toEqual([path, 403]);
      expect(await response.text()).not.toContain("Remove this");
    }
    expect((await roleOf(t, id, member))?.role).toBe("member");
    expect((await roleOf(t, id, manager))?.role).toBe("manager");
    expect(await listUnits(t.deps, id, "position")).toEqual([]);
  });
});

describe("bulk forms", () => {
  test("bulk update applies to every ticked member; a partial failure lists each row that did not apply", async () => {
    const { id, owner, admin, manager, member } = await team();
    const all = await post(admin, `/business/${id}/members/bulk`, [["action", "update"], ["userId", member.id], ["userId", manager.id], ["role", "manager"], ["departmentId", ""], ["positionId", ""]]);
    expect(all.status).toBe(303);
    expect(all.headers.get("location")).toBe(`/business/${id}/workspace/members?notice=bulk-updated`);
    expect((await roleOf(t, id, member))?.role).toBe("manager");
    const partial = await post(admin, `/business/${id}/members/bulk`, [["action", "update"], ["userId", member.id], ["userId", owner.id], ["role", "member"]], htmx);
    expect(partial.status).toBe(200);
    const html = await partial.text();
    expect(html).toContain("1 member updated");
    expect(html).toContain("Only an owner may change an owner.");
    expect(html).toContain(`data-user="${owner.id}"`);
    expect((await roleOf(t, id, member))?.role).toBe("member");
    expect((await roleOf(t, id, owner))?.role).toBe("owner");
  });

  test("nothing ticked or nothing chosen is reported in place (422)", async () => {
    const { id, admin, member } = await team();
    const none = await post(admin, `/business/${id}/members/bulk`, [["action", "update"], ["role", "manager"]], htmx);
    expect(none.status).toBe(422);
    expect(await none.text()).toContain("Select at least one member");
    const nothing = await post(admin, `/business/${id}/members/bulk`, [["action", "update"], ["userId", member.id], ["role", ""], ["departmentId", ""]], htmx);
    expect(nothing.status).toBe(422);
    expect(await nothing.text()).toContain("Choose a role, a department or a position");
  });

  test("removing asks first: the confirm step removes nobody; confirming removes them", async () => {
    const { id, admin, manager, member } = await team();
    const ask = await post(admin, `/business/${id}/members/bulk`, [["action", "remove"], ["userId", member.id], ["userId", manager.id]], htmx);
    expect(ask.status).toBe(200);
    const html = await ask.text();
    expect(html).toContain("Remove these 2 members?");
    expect(html).toContain('name="confirm" value="yes"');
    expect((await roleOf(t, id, member))?.role).toBe("member");
    const plainAsk = await post(admin, `/business/${id}/members/bulk`, [["action", "remove"], ["userId", member.id]]);
    expect(plainAsk.status).toBe(200);
    const plainHtml = await plainAsk.text();
    expect(plainHtml).toContain("<header");
    expect(plainHtml).toContain("Remove this member?");
    const confirmed = await post(admin, `/business/${id}/members/bulk`, [["action", "remove"], ["userId", member.id], ["userId", manager.id], ["confirm", "yes"]]);
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe(`/business/${id}/workspace/members?notice=removed`);
    expect(await roleOf(t, id, member)).toBeNull();
    expect(await roleOf(t, id, manager)).toBeNull();
    expect(await auditFor(t, id, "business.member_remove")).toHaveLength(2);
  });

  test("leaving asks first, then goes home; the last owner is told why not", async () => {
    const { id, owner, member } = await team();
    const ask = await post(member, `/business/${id}/members/leave`, [], htmx);
    expect(await ask.text()).toContain("Leave Acme Ltd?");
    expect((await roleOf(t, id, member))?.role).toBe("member");
    const left = await post(member, `/business/${id}/members/leave`, [["confirm", "yes"]], htmx);
    expect(left.headers.get("hx-redirect")).toBe("/home");
    expect(await roleOf(t, id, member)).toBeNull();
    const refused = await post(owner, `/business/${id}/members/leave`, [["confirm", "yes"]], htmx);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("You are the last owner");
  });
});

describe("departments and positions", () => {
  test("admins add, rename and delete; duplicates and empty names are shown beside the field", async () => {
    const { id, admin, member } = await team();
    const dept = await addUnit(admin, id, "department", "Sales");
    await addUnit(admin, id, "department", "Support");
    const dup = await post(admin, `/business/${id}/members/units/department`, [["name", "Sales"]], htmx);
    expect(dup.status).toBe(409);
    expect(await dup.text()).toContain('id="unit-department-new-name-error"');
    const empty = await post(admin, `/business/${id}/members/units/position`, [["name", "  "]], htmx);
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('id="unit-position-new-name-error"');
    const clash = await post(admin, `/business/${id}/members/units/department/${dept}/rename`, [["name", "Support"]], htmx);
    expect(clash.status).toBe(409);
    const clashHtml = await clash.text();
    expect(clashHtml).toContain(`id="unit-${dept}-name-error"`);
    expect(clashHtml).toMatch(new RegExp(`id="unit-${dept}-name"[^>]*value="Support"`));
    const renamed = await post(admin, `/business/${id}/members/units/department/${dept}/rename`, [["name", "Revenue"]]);
    expect(renamed.status).toBe(303);
    expect((await listUnits(t.deps, id, "department")).map((u) => u.name)).toEqual(["Revenue", "Support"]);
    const [rename] = await auditFor(t, id, "business.department_rename");
    expect(rename!.details).toMatchObject({ before: { name: "Sales" }, after: { name: "Revenue" } });
    await post(admin, `/business/${id}/members/${member.id}/update`, [["role", "member"], ["departmentId", dept], ["positionId", ""]]);
    expect((await roleOf(t, id, member))?.departmentId).toBe(dept);
    const deleted = await post(admin, `/business/${id}/members/units/department/${dept}/delete`, [], htmx);
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).not.toContain("Revenue");
    expect((await roleOf(t, id, member))?.departmentId).toBeNull();
    expect((await post(admin, `/business/${id}/members/units/department/${dept}/delete`, [], htmx)).status).toBe(404);
  });

  test("another business's department cannot be renamed or deleted through this one", async () => {
    const { id, admin, outsider } = await team();
    const theirs = await business(t, outsider, [], "Theirs");
    const foreign = await addUnit(outsider, theirs, "department", "Theirs");
    expect((await post(admin, `/business/${id}/members/units/department/${foreign}/rename`, [["name", "Mine"]], htmx)).status).toBe(404);
    expect((await post(admin, `/business/${id}/members/units/department/${foreign}/delete`, [], htmx)).status).toBe(404);
    expect((await listUnits(t.deps, theirs, "department")).map((u) => u.name)).toEqual(["Theirs"]);
  });
});
