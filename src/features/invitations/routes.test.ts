import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { billingSubscriptions, invitations } from "../../schema";
import { Browser, confirmAddress, createTestApp, type TestApp } from "../../test/app";
import { addBusinessMember, api, auditActions, business, onPaidPlan, person, type Person, roleOf, signedIn, unit } from "../../test/people";
import { latestLink, mailTo } from "../../test/mail";

let t: TestApp;
let owner: Person;
let acme: string;

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: "off", INVITATION_TTL_HOURS: "48" });
  owner = await person(t, "Olga");
  acme = await business(t, owner);
  await unit(t, owner, acme, "department", "Sales");
  await unit(t, owner, acme, "position", "Engineer");
});
afterAll(() => t.close());

/** A real multipart/form-data request, as a browser's file upload sends it. */
function upload(browser: Browser, path: string, file: { name: string; type: string; content: string | Uint8Array<ArrayBuffer> } | null, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  if (file) form.append("file", new File([file.content], file.name, { type: file.type }));
  const request = new Request("http://localhost/", { method: "POST", body: form });
  expect(request.headers.get("content-type")).toStartWith("multipart/form-data; boundary=");
  return request.arrayBuffer().then((body) => browser.request(path, { method: "POST", body, headers: { "content-type": request.headers.get("content-type")!, ...headers } }));
}

describe("the invite page", () => {
  test("a CSV upload through a real multipart request: each row reported, the valid ones created", async () => {
    const browser = await signedIn(t, owner);
    const page = await browser.request(`/business/${acme}/invitations`);
    expect(page.status).toBe(200);
    const form = await page.text();
    expect(form).toContain('enctype="multipart/form-data"');
    expect(form).toContain("Pending invitations (0)");
    const csv = '\uFEFFemail,role,department,position\r\ncsv1@example.com,manager,sales,engineer\r\n"csv2@example.com",member,"Sales",\r\nbroken,member,,\r\n';
    const response = await upload(browser, `/business/${acme}/invitations`, { name: "team.csv", type: "text/csv", content: csv }, { defaultRole: "member" });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("2 invited, 1 not");
    expect(html).toContain("“broken” is not a valid email address.");
    expect(html).toContain("Pending invitations (2)");
    const rows = await t.deps.db.select().from(invitations).where(eq(invitations.businessId, acme));
    expect(rows.map((r) => [r.email, r.role, r.departmentId !== null, r.positionId !== null]).sort()).toEqual([
      ["csv1@example.com", "manager", true, true],
      ["csv2@example.com", "member", true, false],
    ]);
    // The line numbers are those of the file (the header is line 1).
    expect(html).toMatch(/<td class="numeric">4<\/td><td class="break">broken<\/td>/);
  });

  test("a file must be text with the header line; an oversized body is refused; not both a list and a file", async () => {
    const browser = await signedIn(t, owner);
    const path = `/business/${acme}/invitations`;
    const binary = await upload(browser, path, { name: "photo.csv", type: "text/csv", content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe]) });
    expect(binary.status).toBe(422);
    expect(await binary.text()).toContain("That file is not a text (CSV) file.");
    const image = await upload(browser, path, { name: "x.png", type: "image/png", content: "email\na@example.com" });
    expect(image.status).toBe(422);
    const headerless = await upload(browser, path, { name: "team.csv", type: "text/csv", content: "a@example.com,member\n" });
    expect(headerless.status).toBe(422);
    expect(await headerless.text()).toContain("The first line of the file must be the header");
    const both = await upload(browser, path, { name: "team.csv", type: "text/csv", content: "email\nb@example.com\n" }, { text: "c@example.com" });
    expect(both.status).toBe(422);
    expect(await both.text()).toContain("not both");
    const huge = await upload(browser, path, { name: "big.csv", type: "text/csv", content: `email\n${"a".repeat(1024 * 1024)}` });
    expect(huge.status).toBe(413);
    const empty = await upload(browser, path, null, { text: "   " });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Enter at least one email address");
    const count = await t.deps.db.select().from(invitations).where(eq(invitations.businessId, acme));
    expect(count).toHaveLength(2);
  });

  test("a pasted list through htmx answers the panel fragment, keeping only the lines that failed", async () => {
    const browser = await signedIn(t, owner);
    const response = await upload(browser, `/business/${acme}/invitations`, null, { text: "paste1@example.com\npaste2@example.com, admin\nnope@", defaultRole: "member" }, { "hx-request": "true" });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toStartWith('<div id="invitations-panel"');
    expect(html).not.toContain("<header");
    expect(html).toContain("2 invited, 1 not");
    expect(html).toContain("email in the outbox");
    // Only the line that failed stays in the box, ready to be fixed.
    expect(html).toMatch(/<textarea[^>]*>nope@<\/textarea>/);
  });

  test("revoke from the page, and the outbox page shows the messages with their links", async () => {
    const browser = await signedIn(t, owner);
    const [row] = await t.deps.db.select().from(invitations).where(eq(invitations.email, "paste1@example.com"));
    const revoked = await browser.request(`/business/${acme}/invitations/${row!.id}/revoke`, { method: "POST" });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get("location")).toBe(`/business/${acme}/invitations?done=revoked`);
    expect(await (await browser.request(revoked.headers.get("location")!)).text()).toContain("The invitation is revoked");
    const outbox = await browser.request(`/business/${acme}/outbox`);
    expect(outbox.status).toBe(200);
    const html = await outbox.text();
    expect(html).toContain("No mail server is configured");
    expect(html).toContain("To paste2@example.com");
    // The outbox never shows a live link: its token is hidden from every reader, admins included.
    const live = await latestLink(t, "paste2@example.com");
    expect(html).not.toContain(live);
    expect(html).toContain("/invitations/[link hidden");
  });
});

describe("accepting and declining", () => {
  test("GET never changes anything; a visitor who is not signed in gets sign-in links that come back", async () => {
    const link = await latestLink(t, "csv1@example.com");
    const response = await t.app.request(link);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Join Acme Ltd");
    expect(html).toContain("manager · Sales · Engineer");
    expect(html).toContain("Olga");
    expect(html).toContain(`href="/login?next=${encodeURIComponent(link)}"`);
    expect(html).toContain(`href="/register?next=${encodeURIComponent(link)}"`);
    expect(html).not.toContain("/accept");
    const post = await t.app.request(`${link}/accept`, { method: "POST" });
    expect(post.status).toBe(303);
    expect(post.headers.get("location")).toStartWith("/login?next=");
    const [row] = await t.deps.db.select().from(invitations).where(eq(invitations.email, "csv1@example.com"));
    expect(row!.status).toBe("pending");
  });

  test("signed in with another address: a clear message, and accepting is refused", async () => {
    const someone = await person(t, "Sam");
    const browser = await signedIn(t, someone);
    const link = await latestLink(t, "csv1@example.com");
    const page = await browser.request(link);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain(`This invitation is for csv1@example.com, but you are signed in as ${someone.email}`);
    const accept = await browser.request(`${link}/accept`, { method: "POST" });
    expect(accept.status).toBe(403);
    expect(await roleOf(t, acme, someone)).toBeNull();
  });

  test("sign in with the invited address, accept: the membership has the invited role, department and position; the link works once", async () => {
    const link = await latestLink(t, "csv1@example.com");
    const { registerUser } = await import("../../test/app");
    const user = await registerUser(t.app, "CSV1@example.com", "Cass");
    const invitee = { id: user.id, email: "csv1@example.com", name: "Cass", token: "" };
    const browser = new Browser(t.app);
    const login = await browser.request("/login", { method: "POST", form: { email: invitee.email, password: "correct horse battery staple", next: link } });
    expect(login.headers.get("location")).toBe(link);
    const page = await browser.request(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`action="${link}/accept"`);
    const accept = await browser.request(`${link}/accept`, { method: "POST" });
    expect(accept.status).toBe(303);
    expect(accept.headers.get("location")).toBe(`/business/${acme}/workspace`);
    const member = await roleOf(t, acme, invitee);
    expect(member).toMatchObject({ role: "manager" });
    expect(member!.departmentId).not.toBeNull();
    expect(member!.positionId).not.toBeNull();
    const again = await browser.request(`${link}/accept`, { method: "POST" });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("This invitation has been used");
    const reread = await browser.request(link);
    expect(reread.status).toBe(410);
    const actions = await auditActions(t, acme);
    expect(actions.filter((a) => a.action === "invitation.accept")).toEqual([expect.objectContaining({ actor: invitee.id })]);
  });

  test("decline: a confirmation, no membership, audited; the link is then closed", async () => {
    const invitee = await person(t, "Dee");
    const owner2 = await person(t, "Hal");
    const co = await business(t, owner2, [], "Decline Co");
    const browser = await signedIn(t, owner2);
    await upload(browser, `/business/${co}/invitations`, null, { text: invitee.email });
    const link = await latestLink(t, invitee.email);
    const inviteeBrowser = await signedIn(t, invitee);
    const declined = await inviteeBrowser.request(`${link}/decline`, { method: "POST" });
    expect(declined.status).toBe(200);
    expect(await declined.text()).toContain("You declined the invitation to Decline Co");
    expect(await roleOf(t, co, invitee)).toBeNull();
    const closed = await inviteeBrowser.request(`${link}/accept`, { method: "POST" });
    expect(closed.status).toBe(410);
    expect(await closed.text()).toContain("declined");
    expect((await auditActions(t, co)).map((a) => a.action)).toContain("invitation.decline");
  });

  test("an expired link is a clear page, never a 500 (the test clock moves past INVITATION_TTL_HOURS)", async () => {
    const late = await person(t, "Lee");
    const owner2 = await person(t, "Kim");
    const co = await business(t, owner2, [], "Late Co");
    await addBusinessMember(t, co, owner, "admin");
    const browser = await signedIn(t, owner);
    await upload(browser, `/business/${co}/invitations`, null, { text: late.email });
    const link = await latestLink(t, late.email);
    t.advance(48 * 3600_000 + 1000);
    const lateBrowser = await signedIn(t, late);
    const page = await lateBrowser.request(link);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("This invitation has expired");
    const accept = await lateBrowser.request(`${link}/accept`, { method: "POST" });
    expect(accept.status).toBe(410);
    expect(await roleOf(t, co, late)).toBeNull();
    // Admins see it flagged, and may send it again.
    const list = await (await browser.request(`/business/${co}/invitations`)).text();
    expect(list).toContain("Expired");
  });

  test("unknown or malformed tokens: a clear 404 page", async () => {
    for (const token of ["abcdefghijklmnopqrstuvwxyz", "'%22<script>", "x".repeat(5000)]) {
      const response = await t.app.request(`/invitations/${encodeURIComponent(token)}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("This invitation link is not valid");
      expect((await t.app.request(`/invitations/${encodeURIComponent(token)}/decline`, { method: "POST" })).status).toBe(303);
    }
  });
});

describe("/home", () => {
  test("the Personal card lists the invitations waiting for the user's address, each linking to its page", async () => {
    const invitee = await person(t, "Hope");
    const browser = await signedIn(t, owner);
    await upload(browser, `/business/${acme}/invitations`, null, { text: `${invitee.email}, member` });
    const home = await (await signedIn(t, invitee)).request("/home");
    const html = await home.text();
    expect(html).toContain("Invitation from Olga to join Acme Ltd as member");
    const [row] = await t.deps.db.select().from(invitations).where(eq(invitations.email, invitee.email));
    expect(html).toContain(`href="/invitations/received/${row!.id}"`);
    // By id: the page and the answer.
    const inviteeBrowser = await signedIn(t, invitee);
    const page = await inviteeBrowser.request(`/invitations/received/${row!.id}`);
    expect(page.status).toBe(200);
    // Someone else cannot even see it by id.
    expect((await (await signedIn(t, owner)).request(`/invitations/received/${row!.id}`)).status).toBe(404);
    expect((await inviteeBrowser.request(`/invitations/received/${row!.id}/accept`, { method: "POST" })).status).toBe(303);
    expect(await (await inviteeBrowser.request("/home")).text()).not.toContain("Invitation from Olga");
    expect((await mailTo(t, invitee.email)).filter((m) => m.subject.includes("invited you"))).toHaveLength(1);
  });

  test("an account whose address is not confirmed sees nothing of the invitations sent to it, by link or by id, and cannot answer", async () => {
    // Mallory registers with Victor's address before Victor does; the invitation is for Victor.
    const mallory = await person(t, "Mallory", { verified: false });
    const browser = await signedIn(t, owner);
    await upload(browser, `/business/${acme}/invitations`, null, { text: `${mallory.email}, admin` });
    const [row] = await t.deps.db.select().from(invitations).where(eq(invitations.email, mallory.email));
    const squatter = await signedIn(t, mallory);
    expect(await (await squatter.request("/home")).text()).not.toContain("Invitation from Olga");
    expect((await squatter.request(`/invitations/received/${row!.id}`)).status).toBe(404);
    expect((await squatter.request(`/invitations/received/${row!.id}/accept`, { method: "POST" })).status).toBeGreaterThanOrEqual(400);
    // Even holding the link (read off the outbox, say): no details, no answer.
    const link = await latestLink(t, mallory.email);
    const page = await squatter.request(link);
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).toContain("Confirm your address first");
    expect(html).not.toContain("Acme Ltd");
    expect(html).not.toContain(">admin<");
    expect((await squatter.request(`${link}/accept`, { method: "POST" })).status).toBe(403);
    expect((await api(t, mallory, `/api/businesses/${acme}`)).status).toBe(404);
    // Once the address is proven (the real owner of the mailbox follows the link), it works.
    await confirmAddress(t.app, mallory.email);
    const proven = await signedIn(t, mallory);
    expect((await proven.request(`${link}/accept`, { method: "POST" })).status).toBe(303);
    expect((await api(t, mallory, `/api/businesses/${acme}`)).status).toBe(200);
  });
});

describe("the plan's member limit at acceptance", () => {
  test("after a downgrade leaves no seat, accepting is refused (409, the invitation stays open); with a seat again it works", async () => {
    const boss = await person(t, "Bea Boss");
    const shop = await business(t, boss, [], "Tiny Shop");
    await onPaidPlan(t, `business:${shop}`, "business_team");
    const invite = (email: string) => api(t, boss, `/api/businesses/${shop}/members/invitations`, { method: "POST", json: { invitations: [{ email, role: "member" }] } });
    for (const n of [1, 2, 3, 4, 5]) expect((await invite(`seat${n}@example.com`)).status).toBe(201);
    for (const n of [1, 2, 3, 4]) await addBusinessMember(t, shop, await person(t, `Seat ${n}`), "member");
    // Back to the Free plan (5 members): the shop is full.
    await t.deps.db.delete(billingSubscriptions).where(eq(billingSubscriptions.context, `business:${shop}`));
    const link = await latestLink(t, "seat5@example.com");
    const { registerUser } = await import("../../test/app");
    await registerUser(t.app, "seat5@example.com", "Sam Seat");
    const browser = new Browser(t.app);
    await browser.request("/login", { method: "POST", form: { email: "seat5@example.com", password: "correct horse battery staple", next: link } });
    const refused = await browser.request(`${link}/accept`, { method: "POST" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("No room just now");
    const [row] = await t.deps.db.select().from(invitations).where(eq(invitations.email, "seat5@example.com"));
    expect(row!.status).toBe("pending");
    await onPaidPlan(t, `business:${shop}`, "business_team");
    expect((await browser.request(`${link}/accept`, { method: "POST" })).status).toBe(303);
  });
});
