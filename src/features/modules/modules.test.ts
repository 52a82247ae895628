// The registry, review and installs over real HTTP on a real database, with webhooks sent to a real server on
// 127.0.0.1 (allowed by OUTSIDE_FETCH_PRIVATE=on for this app only): who may do what, where (another tenant's ids on
// every route), consent to exactly the scopes asked, versions that ask for more waiting for a new consent, and
// signed webhooks retried with back-off.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../test/app";
import { addBusinessMember, addHouseholdMember, api, auditActions, business, household, json, person, signedIn, type Person } from "../../test/people";
import { strongPassword } from "../../test/app";
import { PERSONAL_DATA } from "../../personal-data";
import { runExports } from "../exports/job";
import { runErasures } from "../erasure";
import { platformAdmin, poster } from "./modules.fixture";
import { events } from "../realtime/schema";
import { sendDueWebhooks } from "./webhooks";
import { moduleWebhookDeliveries } from "./schema";

let t: TestApp;
let dev: Person; // builds modules
let admin: Person; // platform admin
let owner: Person; // owns Acme and a household
let member: Person; // a plain member of Acme
let adult: Person; // an adult of the household
let stranger: Person;
let acme: string;
let home: string;

type Received = { headers: Headers; body: string };
const received: Received[] = [];
let answerWith = 200;
let hook: ReturnType<typeof Bun.serve>;
let hookUrl: string;

beforeAll(async () => {
  hook = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      received.push({ headers: request.headers, body: await request.text() });
      return new Response(answerWith === 200 ? "ok" : "nope", { status: answerWith });
    },
  });
  hookUrl = `http://127.0.0.1:${hook.port}/hooks`;
  t = await createTestApp({ OUTSIDE_FETCH_PRIVATE: "on" });
  admin = await platformAdmin(t);
  [dev, owner, member, adult, stranger] = (await Promise.all(["Dana Dev", "Olive Owner", "Mo Member", "Ari Adult", "Sam Stranger"].map((n) => person(t, n)))) as [Person, Person, Person, Person, Person];
  acme = await business(t, owner, [[member, "member"]], "Acme");
  home = await household(t, owner, "Home");
  await addHouseholdMember(t, home, adult, "adult");
});
afterAll(() => {
  t.close();
  hook.stop(true);
});

const actions = async (id: string) => (await auditActions(t, id)).map((a) => a.action);
const post = poster(() => t);
const manifest = (scopes: string[], extra: Record<string, unknown> = {}) => ({ entryUrl: "https://planner.example.com/app", scopes, webhookUrl: hookUrl, ...extra });

async function publishedModule(slug: string, scopes: string[], contexts = ["personal", "business", "household"]) {
  await post(dev, "/api/developer");
  const made = await json(post(dev, "/api/developer/modules", { slug, name: `Module ${slug}`, description: "Plans things.", category: "productivity", contexts }), 201);
  await json(post(dev, `/api/developer/modules/${made.module.id}/versions`, { version: "1.0.0", manifest: manifest(scopes) }), 201);
  await json(post(admin, `/api/admin/modules/${made.module.id}/versions/1.0.0/approve`), 200);
  return made.module.id as string;
}

describe("developers and versions", () => {
  test("becoming a developer is idempotent; only developers make modules; slugs are unique; bad input names the field", async () => {
    expect((await json(post(stranger, "/api/developer/modules", { slug: "nope", name: "N", description: "d", category: "other", contexts: ["personal"] }), 403)).error.code).toBe("not_a_developer");
    expect((await post(dev, "/api/developer")).status).toBe(201);
    expect((await post(dev, "/api/developer")).status).toBe(200);
    const made = await json(post(dev, "/api/developer/modules", { slug: "team-planner", name: "Team Planner", description: "Plans the team's week.", category: "productivity", contexts: ["business"], icon: "📅" }), 201);
    expect(made.module).toMatchObject({ slug: "team-planner", status: "active", contexts: ["business"], icon: "📅" });
    expect(made.webhookSecret).toMatch(/^whsec_/);
    expect((await json(post(dev, "/api/developer/modules", { slug: "team-planner", name: "Again", description: "d", category: "other", contexts: ["business"] }), 409)).error.details.fieldErrors.slug).toBeTruthy();
    const bad = await json(post(dev, "/api/developer/modules", { slug: "A!", name: "", description: "d", category: "weapons", contexts: [], icon: "<img>" }), 400);
    expect(Object.keys(bad.error.details.fieldErrors).sort()).toEqual(["category", "contexts", "icon", "name", "slug"]);
    expect(await actions(made.module.id)).toContain("module.created");
  });

  test("a version's manifest is refused field by field; versions only go up; another developer's module is a 404", async () => {
    const { modules } = await json(api(t, dev, "/api/developer/modules"), 200);
    const id = modules.find((m: { slug: string }) => m.slug === "team-planner").id;
    const refused = await json(post(dev, `/api/developer/modules/${id}/versions`, { version: "1.0.0", manifest: { entryUrl: "javascript:alert(1)", scopes: ["root"], webhookUrl: "https://user:pw@hooks.example.com/" } }), 400);
    expect(Object.keys(refused.error.details.fieldErrors).sort()).toEqual(["manifest.entryUrl", "manifest.scopes.0", "manifest.webhookUrl"]);
    // Never on the platform's own origin: the frame would be ours, the webhooks would hit our own API.
    const ours = await json(post(dev, `/api/developer/modules/${id}/versions`, { version: "1.0.0", manifest: { entryUrl: "http://localhost:3000/evil", webhookUrl: "http://localhost:3000/api/auth/logout" } }), 400);
    expect(Object.keys(ours.error.details.fieldErrors).sort()).toEqual(["manifest.entryUrl", "manifest.webhookUrl"]);
    const version = await json(post(dev, `/api/developer/modules/${id}/versions`, { version: "1.0.0", manifest: { ...manifest(["calendar.read"]), secretField: "dropped" } }), 201);
    expect(version.version).toMatchObject({ version: "1.0.0", state: "pending" });
    expect(version.version.manifest).not.toHaveProperty("secretField");
    expect((await json(post(dev, `/api/developer/modules/${id}/versions`, { version: "0.9.0", manifest: manifest([]) }), 409)).error.details.fieldErrors.version).toBeTruthy();
    expect((await post(dev, `/api/developer/modules/${id}/versions`, { version: "1.0", manifest: manifest([]) })).status).toBe(400);
    await post(stranger, "/api/developer");
    expect((await post(stranger, `/api/developer/modules/${id}/versions`, { version: "2.0.0", manifest: manifest([]) })).status).toBe(404);
    expect((await api(t, stranger, `/api/developer/modules/${id}`)).status).toBe(404);
    expect((await api(t, stranger, `/api/developer/modules/${id}/deliveries`)).status).toBe(404);
  });
});

describe("review", () => {
  test("only platform admins review; approving lists the module, rejecting tells the developer why; a version is reviewed once", async () => {
    const { modules } = await json(api(t, dev, "/api/developer/modules"), 200);
    const id = modules.find((m: { slug: string }) => m.slug === "team-planner").id;
    expect((await post(dev, `/api/admin/modules/${id}/versions/1.0.0/approve`)).status).toBe(403);
    expect((await api(t, dev, "/api/admin/modules")).status).toBe(403);
    const queue = await json(api(t, admin, "/api/admin/modules"), 200);
    expect(queue.versions[0]).toMatchObject({ module: { id }, version: { version: "1.0.0", state: "pending" } });
    expect((await json(api(t, member, "/api/modules"), 200)).modules.map((m: { id: string }) => m.id)).not.toContain(id);
    await json(post(admin, `/api/admin/modules/${id}/versions/1.0.0/approve`), 200);
    expect((await post(admin, `/api/admin/modules/${id}/versions/1.0.0/approve`)).status).toBe(409);
    expect((await json(api(t, member, "/api/modules?q=team&context=business&category=productivity"), 200)).modules.map((m: { id: string }) => m.id)).toEqual([id]);
    expect((await json(api(t, member, "/api/modules?context=household"), 200)).modules.map((m: { id: string }) => m.id)).not.toContain(id);
    expect((await json(api(t, member, "/api/modules?q=%25"), 200)).modules).toEqual([]);
    const page = await json(api(t, member, `/api/modules/${id}`), 200);
    expect(page).toMatchObject({ version: "1.0.0", scopes: [{ scope: "calendar.read", means: expect.stringContaining("events") }], pricing: { model: "free" }, installs: 0 });

    await json(post(dev, `/api/developer/modules/${id}/versions`, { version: "1.1.0", manifest: manifest(["calendar.read"]) }), 201);
    expect((await post(admin, `/api/admin/modules/${id}/versions/1.1.0/reject`, { reason: "" })).status).toBe(400);
    await json(post(admin, `/api/admin/modules/${id}/versions/1.1.0/reject`, { reason: "The entry page asks for a password." }), 200);
    const detail = await json(api(t, dev, `/api/developer/modules/${id}`), 200);
    expect(detail.versions[0]).toMatchObject({ version: "1.1.0", state: "rejected", rejectedReason: "The entry page asks for a password." });
    const told = await json(api(t, dev, "/api/notifications"), 200);
    expect(JSON.stringify(told)).toContain("was not approved");
    expect(await actions(id)).toEqual(expect.arrayContaining(["module.version.submitted", "module.version.approved", "module.version.rejected"]));
  });
});

describe("installs", () => {
  test("a business's owners and admins install with exactly the scopes asked; members are refused, strangers learn nothing", async () => {
    const id = await publishedModule("acme-notes", ["context.read", "calendar.read"], ["business", "personal"]);
    const body = { context: `business:${acme}`, scopes: ["context.read", "calendar.read"] };
    expect((await post(member, `/api/modules/${id}/installs`, body)).status).toBe(403);
    expect((await post(stranger, `/api/modules/${id}/installs`, body)).status).toBe(404);
    expect((await json(post(owner, `/api/modules/${id}/installs`, { ...body, scopes: ["context.read"] }), 400)).error.details.fieldErrors.scopes[0]).toContain("grant calendar.read");
    expect((await post(owner, `/api/modules/${id}/installs`, { ...body, scopes: [...body.scopes, "chat.post"] })).status).toBe(400);
    expect((await json(post(owner, `/api/modules/${id}/installs`, { ...body, context: `household:${home}` }), 400)).error.details.fieldErrors.context).toBeTruthy();
    expect((await json(post(owner, `/api/modules/${id}/installs`, { ...body, context: "acme" }), 400)).error.details.fieldErrors.context).toBeTruthy();
    const made = await json(post(owner, `/api/modules/${id}/installs`, body), 201);
    expect(made.install).toMatchObject({ context: `business:${acme}`, version: "1.0.0", scopes: body.scopes });
    expect((await post(owner, `/api/modules/${id}/installs`, body)).status).toBe(200); // again: nothing changes
    expect((await post(owner, `/api/modules/nope/installs`, body)).status).toBe(404);
    // Someone's personal space is theirs alone.
    expect((await post(owner, `/api/modules/${id}/installs`, { ...body, context: `personal:${member.id}` })).status).toBe(404);
    expect((await post(member, `/api/modules/${id}/installs`, { ...body, context: `personal:${member.id}` })).status).toBe(201);
    // Uninstalling: the same rules, then gone.
    expect((await api(t, member, `/api/modules/${id}/installs/business:${acme}`, { method: "DELETE" })).status).toBe(403);
    expect((await api(t, owner, `/api/modules/${id}/installs/business:${acme}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(t, owner, `/api/modules/${id}/installs/business:${acme}`, { method: "DELETE" })).status).toBe(404);
    const live = await t.deps.db.select().from(events).where(and(eq(events.channel, `business:${acme}`), eq(events.type, "modules.changed")));
    expect(live.length).toBe(2);
    expect(await actions(id)).toEqual(expect.arrayContaining(["module.installed", "module.uninstalled"]));
  });

  test("a household's owners install; its adults may not", async () => {
    const id = await publishedModule("chores", ["context.read"], ["household"]);
    expect((await post(adult, `/api/modules/${id}/installs`, { context: `household:${home}`, scopes: ["context.read"] })).status).toBe(403);
    expect((await post(owner, `/api/modules/${id}/installs`, { context: `household:${home}`, scopes: ["context.read"] })).status).toBe(201);
    expect((await post(owner, `/api/modules/${id}/installs`, { context: `personal:${owner.id}`, scopes: ["context.read"] })).status).toBe(400);
  });

  test("a version asking for more waits for a new consent and the old one keeps running; one asking for no more runs at once", async () => {
    const id = await publishedModule("grow", ["context.read"], ["personal"]);
    const mine = { context: `personal:${owner.id}`, scopes: ["context.read"] };
    await json(post(owner, `/api/modules/${id}/installs`, mine), 201);
    await json(post(dev, `/api/developer/modules/${id}/versions`, { version: "1.1.0", manifest: manifest(["context.read", "calendar.write"]) }), 201);
    expect(await json(post(admin, `/api/admin/modules/${id}/versions/1.1.0/approve`), 200)).toMatchObject({ upgraded: 0, waiting: 1 });
    expect(JSON.stringify(await json(api(t, owner, "/api/notifications"), 200))).toContain("asks for more access");
    // The old consent no longer matches what the module asks for now, so it is refused…
    expect((await post(owner, `/api/modules/${id}/installs`, mine)).status).toBe(400);
    // …and the new one moves the install on.
    const consented = await json(post(owner, `/api/modules/${id}/installs`, { ...mine, scopes: ["context.read", "calendar.write"] }), 200);
    expect(consented.install).toMatchObject({ version: "1.1.0", scopes: ["context.read", "calendar.write"] });
    await json(post(dev, `/api/developer/modules/${id}/versions`, { version: "1.2.0", manifest: manifest(["context.read"]) }), 201);
    expect(await json(post(admin, `/api/admin/modules/${id}/versions/1.2.0/approve`), 200)).toMatchObject({ upgraded: 1, waiting: 0 });
    const page = await json(api(t, owner, `/api/modules/${id}`), 200);
    expect(page.versions.map((v: { version: string }) => v.version)).toEqual(["1.2.0", "1.1.0", "1.0.0"]);
    const deliveries = await json(api(t, dev, `/api/developer/modules/${id}/deliveries`), 200);
    expect(deliveries.deliveries.map((d: { event: string }) => d.event)).toEqual(["scopes_changed", "scopes_changed", "installed"]);
  });

  test("a suspended module cannot be installed, leaves the marketplace, and every context it is in hears of it", async () => {
    const id = await publishedModule("shady", ["context.read"], ["business"]);
    await json(post(owner, `/api/modules/${id}/installs`, { context: `business:${acme}`, scopes: ["context.read"] }), 201);
    expect((await post(dev, `/api/admin/modules/${id}/suspend`, { reason: "x" })).status).toBe(403);
    expect((await json(post(admin, `/api/admin/modules/${id}/suspend`, { reason: "Sends data to a third party." }), 200)).module).toMatchObject({ status: "suspended" });
    const heard = await t.deps.db.select().from(events).where(and(eq(events.channel, `business:${acme}`), eq(events.type, "modules.changed")));
    expect(heard.at(-1)!.payload).toEqual({ moduleId: id, suspended: true });
    expect((await post(owner, `/api/modules/${id}/installs`, { context: `business:${acme}`, scopes: ["context.read"] })).status).toBe(423);
    expect((await api(t, member, `/api/modules/${id}`)).status).toBe(423);
    expect((await json(api(t, member, "/api/modules"), 200)).modules.map((m: { id: string }) => m.id)).not.toContain(id);
    await json(post(admin, `/api/admin/modules/${id}/unsuspend`), 200);
    expect((await api(t, member, `/api/modules/${id}`)).status).toBe(200);
    expect(await actions(id)).toEqual(expect.arrayContaining(["module.suspended", "module.unsuspended"]));
  });
});

describe("webhooks", () => {
  test("signed with the module's secret over timestamp and body, retried with back-off, every answer kept", async () => {
    await post(dev, "/api/developer");
    const made = await json(post(dev, "/api/developer/modules", { slug: "hooked", name: "Hooked", description: "Listens.", category: "other", contexts: ["personal"] }), 201);
    const id = made.module.id;
    await json(post(dev, `/api/developer/modules/${id}/versions`, { version: "1.0.0", manifest: manifest([]) }), 201);
    await json(post(admin, `/api/admin/modules/${id}/versions/1.0.0/approve`), 200);
    await sendDueWebhooks(t.deps); // whatever earlier tests queued
    received.length = 0;

    answerWith = 500;
    await json(post(stranger, `/api/modules/${id}/installs`, { context: `personal:${stranger.id}`, scopes: [] }), 201);
    expect(await sendDueWebhooks(t.deps)).toEqual({ sent: 1, delivered: 0, failed: 0 });
    expect(await sendDueWebhooks(t.deps)).toEqual({ sent: 0, delivered: 0, failed: 0 }); // not due yet
    let [row] = await t.deps.db.select().from(moduleWebhookDeliveries).where(eq(moduleWebhookDeliveries.moduleId, id));
    expect(row).toMatchObject({ state: "pending", attempts: 1, lastStatus: 500, lastResponse: "nope" });
    t.advance(30_000);
    answerWith = 200;
    expect(await sendDueWebhooks(t.deps)).toEqual({ sent: 1, delivered: 1, failed: 0 });
    [row] = await t.deps.db.select().from(moduleWebhookDeliveries).where(eq(moduleWebhookDeliveries.moduleId, id));
    expect(row).toMatchObject({ state: "delivered", attempts: 2, lastStatus: 200 });

    expect(received.length).toBe(2);
    const { headers, body } = received[1]!;
    const payload = JSON.parse(body);
    expect(payload).toMatchObject({ event: "installed", module: { id, slug: "hooked" }, data: { contextType: "personal", version: "1.0.0" } });
    // Pseudonyms only: the module never learns our ids.
    expect(body).not.toContain(stranger.id);
    expect(payload.data.user).toMatch(/^u_[0-9a-f]{32}$/);
    const [, ts, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(headers.get("bob-signature")!)!;
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(made.webhookSecret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    const hex = Uint8Array.from(mac!.match(/../g)!.map((h) => parseInt(h, 16)));
    expect(await crypto.subtle.verify("HMAC", key, hex, new TextEncoder().encode(`${ts}.${body}`))).toBe(true);
    expect(await crypto.subtle.verify("HMAC", key, hex, new TextEncoder().encode(`${ts}.${body} `))).toBe(false);
    expect(headers.get("bob-event")).toBe("installed");

    // The developer sees both on the module's page: the delivery with its last answer, and the install in the chart.
    const page = await (await (await signedIn(t, dev)).request(`/developers/modules/${id}`)).text();
    expect(page).toMatch(/<td>installed<\/td><td>delivered<\/td><td>2<\/td><td>200\s*<code>ok<\/code>\s*<\/td>/);
    const today = new Date(t.deps.now()).toISOString().slice(5, 10);
    expect(page).toContain(`<title>${today}: 1</title>`);
    expect(page).toContain(`<th scope="row">${today}</th><td class="numeric">1</td>`);
  });

  test("two senders at once send a delivery once", async () => {
    const { modules } = await json(api(t, dev, "/api/developer/modules"), 200);
    const id = modules.find((m: { slug: string }) => m.slug === "hooked").id;
    received.length = 0;
    expect((await api(t, stranger, `/api/modules/${id}/installs/personal:${stranger.id}`, { method: "DELETE" })).status).toBe(204);
    const [a, b] = await Promise.all([sendDueWebhooks(t.deps), sendDueWebhooks(t.deps)]);
    expect(a.sent + b.sent).toBe(1);
    expect(received.map((r) => JSON.parse(r.body).event)).toEqual(["uninstalled"]);
  });
});

describe("the plan's module limit", () => {
  test("a space installs as many modules as its plan allows; the next is refused naming the plan; a new consent is not a new install", async () => {
    const solo = await person(t, "Sol Limits");
    const ids = [];
    for (const slug of ["limit-a", "limit-b", "limit-c", "limit-d"]) ids.push(await publishedModule(slug, [], ["personal"]));
    for (const id of ids.slice(0, 3)) await json(post(solo, `/api/modules/${id}/installs`, { context: `personal:${solo.id}`, scopes: [] }), 201);
    const refused = await json(post(solo, `/api/modules/${ids[3]}/installs`, { context: `personal:${solo.id}`, scopes: [] }), 409);
    expect(refused.error).toMatchObject({ code: "module_limit" });
    expect(refused.error.message).toContain("The Free plan allows 3 marketplace modules");
    // Consenting again to an installed one is not a fourth install.
    expect((await post(solo, `/api/modules/${ids[0]}/installs`, { context: `personal:${solo.id}`, scopes: [] })).status).toBe(200);
    // After removing one, there is room again.
    expect((await api(t, solo, `/api/modules/${ids[0]}/installs/personal:${solo.id}`, { method: "DELETE" })).status).toBe(204);
    await json(post(solo, `/api/modules/${ids[3]}/installs`, { context: `personal:${solo.id}`, scopes: [] }), 201);
  });
});

describe("privacy", () => {
  test("an export tells the modules of the person's spaces (data_request); an erasure tells them to redact", async () => {
    const carol = await person(t, "Carol Private");
    await addBusinessMember(t, acme, carol, "member");
    await post(dev, "/api/developer");
    const made = await json(post(dev, "/api/developer/modules", { slug: "keeper", name: "Keeper", description: "Keeps notes.", category: "other", contexts: ["personal", "business"] }), 201);
    await json(post(dev, `/api/developer/modules/${made.module.id}/versions`, { version: "1.0.0", manifest: manifest([]) }), 201);
    await json(post(admin, `/api/admin/modules/${made.module.id}/versions/1.0.0/approve`), 200);
    await json(post(owner, `/api/modules/${made.module.id}/installs`, { context: `business:${acme}`, scopes: [] }), 201);
    await json(post(carol, `/api/modules/${made.module.id}/installs`, { context: `personal:${carol.id}`, scopes: [] }), 201);
    const events = async () => (await t.deps.db.select().from(moduleWebhookDeliveries).where(eq(moduleWebhookDeliveries.moduleId, made.module.id))).map((d) => ({ event: d.event, data: JSON.parse(d.body).data }));

    const { export: started } = await json(api(t, carol, "/api/me/exports", { method: "POST" }), 202);
    // The request starts the build too; run the job until it is done (as the exports' own tests do).
    for (let i = 0; i < 50; i++) {
      await runExports(t.deps, PERSONAL_DATA);
      const { exports } = await json(api(t, carol, "/api/me/exports"), 200);
      if (exports.find((e: { id: string; status: string }) => e.id === started.id)?.status === "ready") break;
      await Bun.sleep(20);
    }
    const asked = (await events()).filter((e) => e.event === "data_request");
    expect(asked.length).toBe(1);
    expect(asked[0]!.data.contexts.map((c: { type: string }) => c.type).sort()).toEqual(["business", "personal"]);
    expect(JSON.stringify(asked)).not.toContain(carol.id);

    await json(api(t, carol, "/api/me/deletion", { method: "POST", json: { password: strongPassword } }), 202);
    t.advance(15 * 86_400_000);
    await runErasures(t.deps, PERSONAL_DATA);
    const redact = (await events()).filter((e) => e.event === "redact");
    expect(redact.length).toBe(1);
    expect(redact[0]!.data.user).toBe(asked[0]!.data.user);
    expect(redact[0]!.data.contexts.length).toBe(2);
  });
});

