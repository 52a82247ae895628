import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { invitations, outbox } from "../../schema";
import { sha256Hex } from "../../lib/crypto";
import { createTestApp, type TestApp } from "../../test/app";
import { addBusinessMember, addHouseholdMember, api, auditActions, business, household, person, type Person, signedIn, unit, onPaidPlan, json } from "../../test/people";
import { linkIn, mailTo } from "../../test/mail";
import type { BatchResult, InvitationSummary } from "./service";

let t: TestApp;
let owner: Person;
let admin: Person;
let manager: Person;
let outsider: Person;
let acme: string;

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: "off" });
  [owner, admin, manager, outsider] = await Promise.all([person(t, "Olga"), person(t, "Adam"), person(t, "Mona"), person(t, "Oscar")]);
  acme = await business(t, owner);
  await onPaidPlan(t, `business:${acme}`, "business_business"); // more invitations than the free plan's 5 seats
  await addBusinessMember(t, acme, admin, "admin");
  await addBusinessMember(t, acme, manager, "manager");
  await unit(t, owner, acme, "department", "Sales");
  await unit(t, owner, acme, "position", "Engineer");
});
afterAll(() => t.close());

const invite = (who: Person, json: unknown, id = acme) => api(t, who, `/api/businesses/${id}/members/invitations`, { method: "POST", json });

describe("business invitations API", () => {
  test("each row is validated on its own: one bad row in three is reported, the other two are created", async () => {
    const response = await invite(admin, {
      invitations: [
        { email: "First@Example.com", role: "member", department: "sales", position: "ENGINEER" },
        { email: "not-an-email", role: "member" },
        { email: "second@example.com", role: "manager" },
      ],
    });
    expect(response.status).toBe(201);
    const result = (await response.json()) as BatchResult;
    expect(result.created).toBe(2);
    expect(result.failed).toBe(1);
    expect(result.rows.map((r) => [r.line, r.ok])).toEqual([[1, true], [2, false], [3, true]]);
    expect(result.rows[1]!.errors).toEqual([expect.objectContaining({ field: "email", code: "invalid_email" })]);
    expect(result.rows[0]!.invitation).toMatchObject({ email: "first@example.com", role: "member", department: "Sales", position: "Engineer", invitedBy: "Adam" });
    // Without SMTP the outbox is the transport: each message is recorded there, with its link.
    expect(result.rows[0]!.mail).toEqual({ status: "outbox", error: null });
    const [message] = await mailTo(t, "first@example.com");
    expect(message).toMatchObject({ transport: "outbox", businessId: acme, sentAt: null, error: null });
    expect(message!.subject).toContain("Acme Ltd");
    const token = linkIn(message!.textBody).split("/").pop()!;
    expect(token.length).toBeGreaterThanOrEqual(26); // ≥ 128 bits in base32
    // Only the token's hash is stored.
    const [row] = await t.deps.db.select().from(invitations).where(eq(invitations.email, "first@example.com"));
    expect(row!.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.expiresAt - row!.createdAt).toBe(7 * 24 * 3600_000);
  });

  test("every kind of bad row gets its own reason", async () => {
    const dept = await unit(t, owner, acme, "department", "Support");
    expect(dept.name).toBe("Support");
    const response = await invite(admin, {
      text: [
        "fresh@example.com, member, Support",
        "", // blank lines are skipped
        "fresh@example.com",
        `${manager.email}, member`,
        "first@example.com",
        "x@example.com, wizard",
        "y@example.com, member, Marketing",
        "z@example.com, member, , Astronaut",
        "w@example.com, owner",
        "v@example.com, member, Sales, Engineer, extra",
      ].join("\n"),
    });
    expect(response.status).toBe(201);
    const result = (await response.json()) as BatchResult;
    const codes = result.rows.map((r) => [r.line, r.errors.map((e) => e.code)]);
    expect(codes).toEqual([
      [1, []],
      [3, ["duplicate_row"]],
      [4, ["already_member"]],
      [5, ["already_invited"]],
      [6, ["unknown_role"]],
      [7, ["unknown_department"]],
      [8, ["unknown_position"]],
      [9, ["role_not_allowed"]], // an admin may not make an owner
      [10, ["bad_row"]],
    ]);
    expect(result.rows[5]!.errors[0]!.message).toContain("Sales, Support");
    // The owner may invite an owner.
    const asOwner = (await (await invite(owner, { invitations: [{ email: "w@example.com", role: "owner" }] })).json()) as BatchResult;
    expect(asOwner.created).toBe(1);
  });

  test("a batch where every row is refused creates nothing and answers 422 with the rows; a malformed body is a 400", async () => {
    const none = await invite(admin, { invitations: [{ email: "bad", role: "member" }] });
    expect(none.status).toBe(422);
    expect(((await none.json()) as BatchResult).rows[0]!.errors[0]!.code).toBe("invalid_email");
    expect((await invite(admin, { invitations: [] })).status).toBe(400);
    expect((await invite(admin, { text: "email,role\n" })).status).toBe(400);
    expect((await invite(admin, { nothing: true })).status).toBe(400);
    const many = Array.from({ length: 501 }, (_, i) => ({ email: `m${i}@example.com`, role: "member" }));
    expect((await invite(admin, { invitations: many })).status).toBe(400);
  });

  test("admins list pending invitations and revoke one; its link stops working", async () => {
    const list = await api(t, admin, `/api/businesses/${acme}/members/invitations`);
    expect(list.status).toBe(200);
    const { invitations: pending } = (await list.json()) as { invitations: InvitationSummary[] };
    const second = pending.find((i) => i.email === "second@example.com")!;
    expect(second).toMatchObject({ role: "manager", expired: false });
    const revoked = await api(t, admin, `/api/businesses/${acme}/members/invitations/${second.id}`, { method: "DELETE" });
    expect(revoked.status).toBe(204);
    const again = await api(t, admin, `/api/businesses/${acme}/members/invitations/${second.id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    const after = (await (await api(t, admin, `/api/businesses/${acme}/members/invitations`)).json()) as { invitations: InvitationSummary[] };
    expect(after.invitations.some((i) => i.id === second.id)).toBe(false);
    const page = await t.app.request(await mailTo(t, "second@example.com").then((m) => linkIn(m[0]!.textBody)));
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("withdrawn");
  });

  test("resend makes a new link (the old one stops working) and emails it again", async () => {
    const { invitations: pending } = (await (await api(t, admin, `/api/businesses/${acme}/members/invitations`)).json()) as { invitations: InvitationSummary[] };
    const first = pending.find((i) => i.email === "first@example.com")!;
    const oldLink = linkIn((await mailTo(t, "first@example.com"))[0]!.textBody);
    const response = await api(t, admin, `/api/businesses/${acme}/members/invitations/${first.id}/resend`, { method: "POST" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ email: "first@example.com", mail: { status: "outbox", error: null } });
    const messages = await mailTo(t, "first@example.com");
    expect(messages).toHaveLength(2);
    expect(linkIn(messages[1]!.textBody)).not.toBe(oldLink);
    expect((await t.app.request(oldLink)).status).toBe(404);
    expect((await t.app.request(linkIn(messages[1]!.textBody))).status).toBe(200);
  });

  test("every create, revoke and resend is audited against the business", async () => {
    const actions = await auditActions(t, acme);
    const creates = actions.filter((a) => a.action === "invitation.create");
    expect(creates.length).toBe(4);
    expect(creates[0]).toMatchObject({ actor: admin.id, details: expect.objectContaining({ email: "first@example.com", role: "member", department: "Sales" }) });
    expect(actions.filter((a) => a.action === "invitation.revoke")).toHaveLength(1);
    expect(actions.filter((a) => a.action === "invitation.resend")).toHaveLength(1);
  });
});

describe("permissions", () => {
  test("a manager may not invite, list, revoke or read the outbox (403)", async () => {
    expect((await invite(manager, { invitations: [{ email: "m@example.com", role: "member" }] })).status).toBe(403);
    expect((await api(t, manager, `/api/businesses/${acme}/members/invitations`)).status).toBe(403);
    const [row] = await t.deps.db.select().from(invitations).where(eq(invitations.businessId, acme)).limit(1);
    expect((await api(t, manager, `/api/businesses/${acme}/members/invitations/${row!.id}`, { method: "DELETE" })).status).toBe(403);
    const browser = await signedIn(t, manager);
    expect((await browser.request(`/business/${acme}/outbox`)).status).toBe(403);
    expect((await browser.request(`/business/${acme}/invitations`)).status).toBe(403);
    expect((await t.deps.db.select().from(outbox).where(eq(outbox.toAddress, "m@example.com"))).length).toBe(0);
  });

  test("a business the caller is not in answers 404 on every route, like one that does not exist", async () => {
    const foreign = await invite(outsider, { invitations: [{ email: "o@example.com", role: "member" }] });
    const missing = await invite(outsider, { invitations: [{ email: "o@example.com", role: "member" }] }, "doesnotexist000000000000");
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await foreign.json()).toEqual(await missing.json());
    expect((await api(t, outsider, `/api/businesses/${acme}/members/invitations`)).status).toBe(404);
    const [row] = await t.deps.db.select().from(invitations).where(eq(invitations.businessId, acme)).limit(1);
    expect((await api(t, outsider, `/api/businesses/${acme}/members/invitations/${row!.id}/resend`, { method: "POST" })).status).toBe(404);
    const browser = await signedIn(t, outsider);
    expect((await browser.request(`/business/${acme}/outbox`)).status).toBe(404);
    expect((await browser.request(`/business/${acme}/invitations`)).status).toBe(404);
  });

  test("an invitation of business A cannot be revoked through business B", async () => {
    const other = await business(t, outsider, [], "Other Co");
    const [row] = await t.deps.db.select().from(invitations).where(eq(invitations.businessId, acme)).limit(1);
    expect((await api(t, outsider, `/api/businesses/${other}/members/invitations/${row!.id}`, { method: "DELETE" })).status).toBe(404);
  });

  test("no session is a 401", async () => {
    expect((await t.app.request(`/api/businesses/${acme}/members/invitations`)).status).toBe(401);
  });
});

describe("household invitations API", () => {
  test("owners and adults invite with household roles; teens and children may not (403); outsiders 404", async () => {
    const [parent, adult, teen, child] = await Promise.all([person(t, "Pat"), person(t, "Ari"), person(t, "Tess"), person(t, "Cody")]);
    const home = await household(t, parent);
    await addHouseholdMember(t, home, adult, "adult");
    await addHouseholdMember(t, home, teen, "teen");
    await addHouseholdMember(t, home, child, "child");
    const path = `/api/households/${home}/invitations`;
    const byAdult = await api(t, adult, path, { method: "POST", json: { text: "kid@example.com, child\ngran@example.com, owner\naunt@example.com, adult, Sales\nuncle@example.com, manager" } });
    expect(byAdult.status).toBe(201);
    const result = (await byAdult.json()) as BatchResult;
    expect(result.rows.map((r) => r.errors.map((e) => e.code))).toEqual([[], ["role_not_allowed"], ["not_applicable"], ["unknown_role"]]);
    const [message] = await mailTo(t, "kid@example.com");
    expect(message).toMatchObject({ householdId: home, businessId: null });
    expect(message!.textBody).toContain("the household The Okafors");
    // With no role given, a household invitation defaults to adult.
    const byOwner = (await (await api(t, parent, path, { method: "POST", json: { invitations: [{ email: "gran@example.com" }] } })).json()) as BatchResult;
    expect(byOwner.rows[0]!.invitation!.role).toBe("adult");
    expect((await api(t, teen, path, { method: "POST", json: { text: "a@example.com" } })).status).toBe(403);
    expect((await api(t, child, path)).status).toBe(403);
    expect((await api(t, outsider, path)).status).toBe(404);
    expect((await api(t, adult, path)).status).toBe(200);
    const actions = await auditActions(t, home);
    expect(actions.filter((a) => a.action === "invitation.create")).toHaveLength(2);
  });
});

describe("the plan's member limit", () => {
  test("members and open invitations count against the plan's seats: the row past it names the plan; a bigger plan lifts it", async () => {
    const small = await business(t, outsider, [], "Small Co");
    const emails = ["a", "b", "c", "d", "e"].map((x) => `${x}.seat@example.com`);
    const first = await json(api(t, outsider, `/api/businesses/${small}/members/invitations`, { method: "POST", json: { invitations: emails.map((email) => ({ email, role: "member" })) } }), 201);
    // The owner holds one of the Free plan's 5 seats.
    expect(first.rows.map((r: { ok: boolean }) => r.ok)).toEqual([true, true, true, true, false]);
    expect(first.rows[4].errors[0]).toMatchObject({ code: "seat_limit" });
    expect(first.rows[4].errors[0].message).toContain("The Free plan allows 5 members");
    // Parallel bursts cannot pass it together either.
    const burst = await Promise.all(["x", "y", "z"].map((x) => api(t, outsider, `/api/businesses/${small}/members/invitations`, { method: "POST", json: { invitations: [{ email: `${x}.seat@example.com`, role: "member" }] } })));
    for (const response of burst) expect((await response.json()).rows[0].errors[0].code).toBe("seat_limit");
    await onPaidPlan(t, `business:${small}`, "business_team");
    const after = await json(api(t, outsider, `/api/businesses/${small}/members/invitations`, { method: "POST", json: { invitations: [{ email: emails[4], role: "member" }] } }), 201);
    expect(after.rows[0].ok).toBe(true);
  });
});
