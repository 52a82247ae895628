// The runtime over real HTTP: who may run a module where (404, 423, 403, 402), the tokens (audience, pseudonymous
// subject and context, scopes, five minutes with ten seconds of leeway) and everything an attacker would try with
// one — another module's origin, a scope it lacks, expired, tampered, signed with another key, alg "none", after an
// uninstall — and the module API it opens: context, members, calendar (audited as the module), notifications.
import { and, eq } from "drizzle-orm";
import { billingUsage } from "../../schema";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sign } from "hono/jwt";
import { createTestApp, signedInBrowser, type TestApp } from "../../test/app";
import { addBusinessMember, api, auditFor, business, json, person, type Person, onPaidPlan } from "../../test/people";
import { platformAdmin, poster } from "./modules.fixture";
import { marketplaceTabId as tabId } from "../workspace";

let t: TestApp;
let admin: Person;
let dev: Person;
let owner: Person;
let member: Person;
let outsider: Person;
let acme: string;
let other: string; // another business of the outsider's

beforeAll(async () => {
  t = await createTestApp();
  admin = await platformAdmin(t);
  [dev, owner, member, outsider] = (await Promise.all(["Dana Dev", "Olive Owner", "Mo Member", "Otto Outsider"].map((n) => person(t, n)))) as [Person, Person, Person, Person];
  acme = await business(t, owner, [[member, "member"]], "Acme");
  await onPaidPlan(t, `business:${acme}`, "business_business"); // more modules than the free plan's 2
  other = await business(t, outsider, [], "Elsewhere");
});
afterAll(() => t.close());

const post = poster(() => t);
const ALL = ["profile.read", "context.read", "members.read", "calendar.read", "calendar.write", "notifications.send"];

async function module(slug: string, origin: string, scopes: string[], pricing: unknown = { model: "free" }) {
  await post(dev, "/api/developer");
  const made = await json(post(dev, "/api/developer/modules", { slug, name: `Mod ${slug}`, description: "A module.", category: "productivity", contexts: ["business", "personal"] }), 201);
  await json(post(dev, `/api/developer/modules/${made.module.id}/versions`, { version: "1.0.0", manifest: { entryUrl: `${origin}/app`, scopes, pricing } }), 201);
  await json(post(admin, `/api/admin/modules/${made.module.id}/versions/1.0.0/approve`), 200);
  return made.module.id as string;
}

const runtime = (who: Person, id: string, context: string) => api(t, who, `/api/modules/${id}/runtime?context=${encodeURIComponent(context)}`);
const token = async (who: Person, id: string, context: string) => (await json(post(who, `/api/modules/${id}/token`, { context }), 200)).token as string;
const call = (path: string, bearer: string, init: { method?: string; json?: unknown; origin?: string } = {}) =>
  t.app.request(`/api/module-runtime${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${bearer}`, ...(init.json !== undefined ? { "content-type": "application/json" } : {}), ...(init.origin ? { origin: init.origin } : {}) },
    body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
  });
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString());
const headerOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString());

let planner: string; // installed in Acme with every scope
let plannerToken: string;

describe("who may run a module where", () => {
  test("404 for no such module or someone else's space, 403 not installed, 423 suspended, then what the host needs", async () => {
    planner = await module("planner", "https://planner.example.com", ALL);
    expect((await runtime(member, "nope", `business:${acme}`)).status).toBe(404);
    expect((await runtime(outsider, planner, `business:${acme}`)).status).toBe(404);
    expect((await runtime(member, planner, `personal:${owner.id}`)).status).toBe(404);
    expect((await json(runtime(member, planner, `business:${acme}`), 403)).error.code).toBe("not_installed");
    await json(post(owner, `/api/modules/${planner}/installs`, { context: `business:${acme}`, scopes: ALL }), 201);
    const run = await json(runtime(member, planner, `business:${acme}`), 200);
    expect(run).toMatchObject({
      version: "1.0.0",
      origin: "https://planner.example.com",
      manifest: { entryUrl: "https://planner.example.com/app", scopes: ALL },
      frame: { sandbox: "allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox", referrerPolicy: "no-referrer" },
    });
    expect(run.frame.sandbox).not.toContain("allow-same-origin");
    await json(post(admin, `/api/admin/modules/${planner}/suspend`, { reason: "Checking a report." }), 200);
    expect((await runtime(member, planner, `business:${acme}`)).status).toBe(423);
    expect((await post(member, `/api/modules/${planner}/token`, { context: `business:${acme}` })).status).toBe(423);
    await json(post(admin, `/api/admin/modules/${planner}/unsuspend`), 200);
  });

  test("403 for a member the business hides the module from (the tab rules of the built-in modules)", async () => {
    // The business's admins set who sees it, as for any built-in tab (the JSON API of the settings tab's module table).
    const configured = await json(api(t, owner, `/api/businesses/${acme}/modules/${tabId(planner)}`, { method: "PUT", json: { allowedRoles: ["owner", "admin"] } }), 200);
    expect(configured.module ?? configured).toMatchObject({ source: "marketplace", href: `/business/${acme}/workspace/m/${planner}` });
    expect((await json(runtime(member, planner, `business:${acme}`), 403)).error.code).toBe("module_forbidden");
    expect((await post(member, `/api/modules/${planner}/token`, { context: `business:${acme}` })).status).toBe(403);
    expect((await runtime(owner, planner, `business:${acme}`)).status).toBe(200);
    const tabs = await json(api(t, member, `/api/businesses/${acme}/modules`), 200);
    expect(tabs.modules.map((m: { id: string }) => m.id)).not.toContain(tabId(planner));
    await json(api(t, owner, `/api/businesses/${acme}/modules/${tabId(planner)}`, { method: "PUT", json: { allowedRoles: [] } }), 200);
    expect((await json(api(t, member, `/api/businesses/${acme}/modules`), 200)).modules.map((m: { id: string }) => m.id)).toContain(tabId(planner));
  });

  test("402 for a paid module without an entitlement; runs once the space holds one", async () => {
    const paid = await module("paid", "https://paid.example.com", ["context.read"], { model: "per_context", monthlyAmount: 900, currency: "eur" });
    await json(post(owner, `/api/modules/${paid}/installs`, { context: `business:${acme}`, scopes: ["context.read"] }), 201);
    expect((await json(runtime(member, paid, `business:${acme}`), 402)).error.code).toBe("payment_required");
    const before = t.deps.entitlements;
    t.deps.entitlements = { ...before, has: async (context, feature) => context === `business:${acme}` && feature === `module:${paid}` };
    try {
      expect((await runtime(member, paid, `business:${acme}`)).status).toBe(200);
    } finally {
      t.deps.entitlements = before;
    }
  });
});

describe("tokens", () => {
  test("for the module's origin, a pseudonymous person and space, the granted scopes, five minutes", async () => {
    plannerToken = await token(member, planner, `business:${acme}`);
    const claims = claimsOf(plannerToken);
    expect(headerOf(plannerToken)).toMatchObject({ alg: "HS256", typ: "JWT", kid: "mt-dev" });
    expect(claims).toMatchObject({ iss: "http://localhost:3000", aud: "https://planner.example.com", scp: ALL, ctx: { type: "business" } });
    expect(claims.exp - claims.iat).toBe(300);
    expect(claims.sub).toMatch(/^u_[0-9a-f]{32}$/);
    expect(JSON.stringify(claims)).not.toContain(member.id);
    expect(JSON.stringify(claims)).not.toContain(acme);
    // The same person is the same pseudonym to this module every time, and another to another module.
    expect(claimsOf(await token(member, planner, `business:${acme}`)).sub).toBe(claims.sub);
  });

  test("refused: expired (past the leeway), tampered, signed with another key, alg none, another module's origin, a scope it lacks, after an uninstall", async () => {
    expect((await call("/context", plannerToken)).status).toBe(200);
    t.advance(305_000); // 5 s past expiry: within the leeway
    expect((await call("/context", plannerToken)).status).toBe(200);
    t.advance(10_000);
    expect((await json(call("/context", plannerToken), 401)).error.code).toBe("invalid_token");
    const fresh = await token(member, planner, `business:${acme}`);
    const [h, p, s] = fresh.split(".");
    const tampered = { ...claimsOf(fresh), scp: [...ALL, "chat.post"] };
    expect((await call("/context", `${h}.${Buffer.from(JSON.stringify(tampered)).toString("base64url")}.${s}`)).status).toBe(401);
    expect((await call("/context", await sign(claimsOf(fresh), "another key entirely"))).status).toBe(401);
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT", kid: "mt-dev" })).toString("base64url")}.${p}.`;
    expect((await call("/context", none)).status).toBe(401);
    expect((await call("/context", "not-a-token")).status).toBe(401);
    // Module B's pages sending module A's token.
    const otherModule = await module("other", "https://other.example.com", ["context.read"]);
    expect((await json(call("/context", fresh, { origin: "https://other.example.com" }), 403)).error.code).toBe("wrong_origin");
    // A token of a module without members.read.
    await json(post(owner, `/api/modules/${otherModule}/installs`, { context: `business:${acme}`, scopes: ["context.read"] }), 201);
    const small = await token(member, otherModule, `business:${acme}`);
    expect((await json(call("/members", small), 403)).error.code).toBe("insufficient_scope");
    expect((await call("/calendar/events?from=2027-01-01&to=2027-01-02", small)).status).toBe(403);
    // Not installed in the outsider's business: no token there (403 not installed); Acme is not theirs (404).
    expect((await json(post(outsider, `/api/modules/${otherModule}/token`, { context: `business:${other}` }), 403)).error.code).toBe("not_installed");
    expect((await post(outsider, `/api/modules/${otherModule}/token`, { context: `business:${acme}` })).status).toBe(404);
    // Uninstalled: the token dies at once.
    expect((await api(t, owner, `/api/modules/${otherModule}/installs/business:${acme}`, { method: "DELETE" })).status).toBe(204);
    expect((await call("/context", small)).status).toBe(401);
  });

  test("a member who leaves the business keeps nothing", async () => {
    const leaver = await person(t, "Lee Leaver");
    await addBusinessMember(t, acme, leaver, "member");
    const jwt = await token(leaver, planner, `business:${acme}`);
    expect((await call("/context", jwt)).status).toBe(200);
    expect((await api(t, owner, `/api/businesses/${acme}/members/${leaver.id}`, { method: "DELETE" })).status).toBeLessThan(300);
    expect((await call("/context", jwt)).status).toBe(404);
  });
});

describe("the module API", () => {
  test("context and members: pseudonymous ids, names only with the scopes that allow them", async () => {
    const jwt = await token(member, planner, `business:${acme}`);
    const context = await json(call("/context", jwt), 200);
    expect(context).toMatchObject({ user: { id: claimsOf(jwt).sub, displayName: "Mo Member", locale: "en", timeZone: "UTC" }, context: { id: claimsOf(jwt).ctx.id, type: "business", name: "Acme" } });
    const members = await json(call("/members", jwt), 200);
    expect(members.members.map((m: { name: string }) => m.name).sort()).toEqual(["Mo Member", "Olive Owner"]);
    expect(members.members.find((m: { you: boolean }) => m.you).id).toBe(claimsOf(jwt).sub);
    const text = JSON.stringify(members);
    for (const secret of [member.id, owner.id, member.email, owner.email]) expect(text).not.toContain(secret);
  });

  test("calendar: events made through the module land in the space's calendar as the person, audited as the module", async () => {
    const jwt = await token(owner, planner, `business:${acme}`);
    const made = await json(call("/calendar/events", jwt, { method: "POST", json: { title: "Sprint review", start: "2027-02-03T10:00", end: "2027-02-03T11:00", timeZone: "Europe/Berlin" } }), 201);
    expect((await json(call("/calendar/events", jwt, { method: "POST", json: { title: "", start: "soon", attendees: ["x"] } }), 400)).error.details.fieldErrors).toHaveProperty("title");
    const seen = await json(call("/calendar/events?from=2027-02-03T00:00:00Z&to=2027-02-04T00:00:00Z", jwt), 200);
    expect(seen.occurrences.map((o: { title: string }) => o.title)).toEqual(["Sprint review"]);
    const inApp = await json(api(t, member, "/api/calendar/events?from=2027-02-03T00:00:00Z&to=2027-02-04T00:00:00Z"), 200);
    expect(inApp.occurrences.map((o: { title: string }) => o.title)).toContain("Sprint review");
    const audit = await auditFor(t, made.event.id);
    expect(audit[0]).toMatchObject({ action: "calendar.event.created", actorUserId: owner.id, details: { viaModule: planner } });
    // The module gets the person's rights, no more: a member's answer is what the member gets without it.
    const body = { title: "Member's", start: "2027-02-03T12:00", end: "2027-02-03T13:00" };
    const calendarId = (await json(api(t, member, "/api/calendars"), 200)).calendars.find((c: { contextId: string; isPrimary: boolean }) => c.contextId === acme && c.isPrimary).id;
    const direct = (await api(t, member, `/api/calendars/${calendarId}/events`, { method: "POST", json: body })).status;
    expect((await call("/calendar/events", await token(member, planner, `business:${acme}`), { method: "POST", json: body })).status).toBe(direct);
  });

  test("notifications go to the person the module acts for, linking to its tab", async () => {
    const jwt = await token(member, planner, `business:${acme}`);
    const sent = await json(call("/notifications", jwt, { method: "POST", json: { title: "Your report is ready" } }), 201);
    expect(sent.notification.delivered).toBe(true);
    const mine = await json(api(t, member, "/api/notifications"), 200);
    expect(JSON.stringify(mine)).toContain("Mod planner: Your report is ready");
    expect(JSON.stringify(mine)).toContain(`/business/${acme}/workspace/m/${planner}`);
    expect(JSON.stringify(await json(api(t, owner, "/api/notifications"), 200))).not.toContain("Your report is ready");
  });

  test("chat: the space's channels the person reads, by ids only this module knows; a post lands as the person", async () => {
    const chatty = await module("chatty", "https://chatty.example.com", ["chat.post"]);
    await json(post(owner, `/api/modules/${chatty}/installs`, { context: `business:${acme}`, scopes: ["chat.post"] }), 201);
    const general = await json(post(owner, "/api/conversations", { type: "channel", name: "general", contextType: "business", contextId: acme }), 201);
    const admins = await json(post(owner, "/api/conversations", { type: "channel", name: "admins", contextType: "business", contextId: acme, allowedRoles: ["owner", "admin"] }), 201);
    const jwt = await token(member, chatty, `business:${acme}`);
    const { channels } = await json(call("/chat/channels", jwt), 200);
    expect(channels.map((ch: { name: string }) => ch.name)).toEqual(["general"]); // not the admins' channel
    expect(channels[0].id).toMatch(/^ch_[0-9a-f]{32}$/);
    expect(JSON.stringify(channels)).not.toContain(general.conversation.id);
    const sent = await json(call("/chat", jwt, { method: "POST", json: { channel: channels[0].id, text: "Stand-up in 5" } }), 201);
    expect(sent.message.channel).toBe(channels[0].id);
    const messages = await json(api(t, owner, `/api/conversations/${general.conversation.id}/messages`), 200);
    expect(JSON.stringify(messages)).toContain("Stand-up in 5");
    // A channel id it was not given (another module's, or a guess) is a 404 naming the field.
    expect((await json(call("/chat", jwt, { method: "POST", json: { channel: `ch_${"0".repeat(32)}`, text: "x" } }), 404)).error.details.fieldErrors.channel).toBeTruthy();
    expect((await call("/chat", jwt, { method: "POST", json: { channel: admins.conversation.id, text: "x" } })).status).toBe(404);
    // The planner was not granted chat.post.
    expect((await call("/chat/channels", await token(member, planner, `business:${acme}`))).status).toBe(403);
  });

  test("a burst past the per-install limit: exactly 300 calls a minute get through, the rest a 429 with Retry-After", async () => {
    const burst = await module("burst", "https://burst.example.com", ["context.read"]);
    await json(post(owner, `/api/modules/${burst}/installs`, { context: `business:${acme}`, scopes: ["context.read"] }), 201);
    const jwt = await token(owner, burst, `business:${acme}`);
    const calls = async () => (await t.deps.db.select().from(billingUsage).where(and(eq(billingUsage.context, `business:${acme}`), eq(billingUsage.metric, "module_api_calls"))))[0]?.quantity ?? 0;
    const before = await calls();
    const answers = await Promise.all(Array.from({ length: 310 }, () => call("/context", jwt)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBe(300);
    expect(statuses.filter((s) => s === 429).length).toBe(10);
    expect(answers.find((a) => a.status === 429)!.headers.get("retry-after")).toMatch(/^\d+$/);
    // Usage for billing: the calls that got through, each counted once, however many at once.
    expect((await calls()) - before).toBe(300);
  });

  test("CORS for the module's origin alone; the API takes no cookie, so the CSRF exemption opens nothing", async () => {
    const preflight = await t.app.request("/api/module-runtime/context", { method: "OPTIONS", headers: { origin: "https://planner.example.com", "access-control-request-method": "GET" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://planner.example.com");
    const stranger = await t.app.request("/api/module-runtime/context", { method: "OPTIONS", headers: { origin: "https://evil.example.com", "access-control-request-method": "GET" } });
    expect(stranger.headers.get("access-control-allow-origin")).toBeNull();
    const jwt = await token(member, planner, `business:${acme}`);
    expect((await call("/context", jwt, { origin: "https://planner.example.com" })).headers.get("access-control-allow-origin")).toBe("https://planner.example.com");
    expect((await call("/context", jwt, { origin: "null" })).status).toBe(403);
    // A signed-in browser's cookie is no credential here.
    const browser = await signedInBrowser(t.app, member.email);
    const withCookie = await browser.request("/api/module-runtime/notifications", { method: "POST", json: { title: "x" }, headers: { origin: "https://evil.example.com" } });
    expect(withCookie.status).toBe(401);
  });
});
