// What a module reaches with its token: /api/module-runtime/* (no cookies, no CSRF: the token is the only
// credential, sent by the module's own server or its pages), each endpoint only for the scopes the token carries
// AND the install still grants, in the space the token names, for a person still in it. Pseudonymous ids only.
// Rate-limited per install. CORS answers only the module's own origin (the token's audience); a sandboxed frame's
// opaque origin ("null") gets no CORS headers, so frames go through their server or the bridge.
import { and, eq, sql } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps";
import type { Db } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { AppError } from "../../lib/errors";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody, queryParams } from "../../http/validate";
import { users } from "../auth";
import { contextOccurrences, createContextEvent, moduleEventInput, viewSettingsOf } from "../calendar";
import { householdNames, listHouseholdMembers, requireHouseholdMembership } from "../households";
import { notify } from "../notifications";
import { postMessage, spaceChannels } from "../chat";
import { enforceLimit } from "../ratelimit";
import { businessNames, requireMembership, selectMembers } from "../workspace";
import { moduleOrigin, type ModuleScope } from "./manifest";
import { pseudonym } from "./pseudonyms";
import { hostPath } from "./host-paths";
import { marketplaceModules, moduleInstalls, moduleVersions, type MarketplaceModuleRow, type ModuleInstallRow } from "./schema";
import { issuer, readToken, type ModuleClaims } from "./tokens";
import { openApiDocument, runtimeOperations } from "./openapi";

export const RUNTIME_PREFIX = "/api/module-runtime";
const CALLS_PER_MINUTE = 300;

export const notificationInput = z.strictObject({
  title: z.string().trim().min(1, "Give a title.").max(120),
  body: z.string().trim().max(1000).optional(),
});
export const chatInput = z.strictObject({
  channel: z.string().trim().min(1, "Name the channel (an id from GET /api/module-runtime/chat/channels).").max(40),
  text: z.string().trim().min(1, "Write something.").max(4000),
});
export const eventsQuery = z.object({ from: z.string().min(1).max(40), to: z.string().min(1).max(40), timeZone: z.string().max(64).optional() });

interface ModuleCall {
  module: Pick<MarketplaceModuleRow, "id" | "name" | "status" | "pseudonymSalt">;
  install: Pick<ModuleInstallRow, "id" | "scopes" | "contextType" | "contextId">;
  claims: ModuleClaims;
  userId: string;
  origin: string;
}

// Every call of every module starts here: one prepared statement per database, only the columns the checks read.
const installLookups = new WeakMap<Db, ReturnType<typeof prepareInstallLookup>>();
function prepareInstallLookup(db: Db) {
  return db
    .select({
      install: { id: moduleInstalls.id, scopes: moduleInstalls.scopes, contextType: moduleInstalls.contextType, contextId: moduleInstalls.contextId },
      module: { id: marketplaceModules.id, name: marketplaceModules.name, status: marketplaceModules.status, pseudonymSalt: marketplaceModules.pseudonymSalt },
      manifest: moduleVersions.manifest,
    })
    .from(moduleInstalls)
    .innerJoin(marketplaceModules, eq(marketplaceModules.id, moduleInstalls.moduleId))
    .innerJoin(moduleVersions, and(eq(moduleVersions.moduleId, moduleInstalls.moduleId), eq(moduleVersions.version, moduleInstalls.version)))
    .where(eq(moduleInstalls.id, sql.placeholder("id")))
    .prepare();
}

/** The token's module, install and person, if all still hold and the token carries `scope` (and the install grants it). */
async function moduleCall(c: Context<AppEnv>, scope: ModuleScope | null): Promise<ModuleCall> {
  const deps = c.var.deps;
  const auth = c.req.header("authorization");
  if (!auth?.toLowerCase().startsWith("bearer ")) throw new AppError(401, "invalid_token", "Send the module token as Authorization: Bearer <token>.", {}, { "www-authenticate": "Bearer" });
  const { claims, userId } = await readToken(deps, auth.slice(7).trim());
  let lookup = installLookups.get(deps.db);
  if (!lookup) installLookups.set(deps.db, (lookup = prepareInstallLookup(deps.db)));
  const [found] = await lookup.all({ id: claims.ins });
  if (!found) throw new AppError(401, "invalid_token", "The module is no longer installed there.");
  const origin = moduleOrigin(found.manifest);
  if (claims.aud !== origin) throw new AppError(401, "invalid_token", "The module token was made for another module.");
  const sentFrom = c.req.header("origin");
  if (sentFrom !== undefined && sentFrom !== origin) throw new AppError(403, "wrong_origin", "This module's token is accepted only from its own origin.");
  if (found.module.status === "suspended") throw new AppError(423, "module_suspended", "This module is suspended.");
  if (scope && !(claims.scp.includes(scope) && found.install.scopes.includes(scope))) throw new AppError(403, "insufficient_scope", `This needs the ${scope} scope.`, { scope }, { "www-authenticate": `Bearer error="insufficient_scope", scope="${scope}"` });
  // Still in the space (a member who left keeps nothing a module gave them).
  if (found.install.contextType === "personal") {
    if (found.install.contextId !== userId) throw new AppError(403, "forbidden", "This token is not for this space.");
  } else if (found.install.contextType === "business") await requireMembership(deps.db, userId, found.install.contextId);
  else await requireHouseholdMembership(deps.db, userId, found.install.contextId);
  await enforceLimit(deps, { bucket: `module-runtime:${found.install.id}`, max: CALLS_PER_MINUTE, windowMs: 60_000 }, `At most ${CALLS_PER_MINUTE} calls a minute per install.`);
  await deps.entitlements.count(`${found.install.contextType}:${found.install.contextId}`, "module_api_calls");
  return { module: found.module, install: found.install, claims, userId, origin };
}

async function nameOf(deps: Pick<Deps, "db">, userId: string): Promise<string | null> {
  const [row] = await deps.db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return row?.name ?? null;
}

/** The space's channels the person may read, each with the id the module knows it by. */
async function channelsFor(deps: Pick<Deps, "db">, call: ModuleCall) {
  const { type, id } = contextRef(call);
  if (type === "personal") return [];
  return (await spaceChannels(deps.db, call.userId, type, id)).map((ch) => ({ ...ch, pseudonym: pseudonym(call.module, "channel", ch.id) }));
}

const contextRef = (call: ModuleCall) => ({ type: call.install.contextType, id: call.install.contextId });

async function contextName(deps: Pick<Deps, "db">, call: ModuleCall): Promise<string> {
  const { type, id } = contextRef(call);
  if (type === "business") return (await businessNames(deps.db, { businesses: [id] })).businesses.get(id) ?? "";
  if (type === "household") return (await householdNames(deps.db, [id])).get(id) ?? "";
  return "Personal";
}

/** CORS for the module's own origin only: preflights are answered for any approved module's origin, the rest after the token is read. */
function allowOrigin(c: Context<AppEnv>, origin: string) {
  if (c.req.header("origin") !== origin) return;
  c.header("access-control-allow-origin", origin);
  c.header("vary", "Origin");
}

async function isModuleOrigin(deps: Pick<Deps, "db">, origin: string): Promise<boolean> {
  const rows = await deps.db.select({ manifest: moduleVersions.manifest }).from(moduleVersions).where(eq(moduleVersions.state, "approved"));
  return rows.some((row) => moduleOrigin(row.manifest) === origin);
}

export function moduleRuntimeApi() {
  const operations = runtimeOperations({ eventsQuery, notificationInput, chatInput });
  return new Hono<AppEnv>()
    .get("/api/module-runtime/openapi.json", (c) => {
      c.header("access-control-allow-origin", "*");
      return c.json(openApiDocument(operations, issuer(c.var.deps.config)));
    })
    .options("/api/module-runtime/*", async (c) => {
      const origin = c.req.header("origin");
      if (!origin || !(await isModuleOrigin(c.var.deps, origin))) return c.body(null, 204);
      c.header("access-control-allow-origin", origin);
      c.header("access-control-allow-methods", "GET, POST");
      c.header("access-control-allow-headers", "authorization, content-type");
      c.header("access-control-max-age", "600");
      c.header("vary", "Origin");
      return c.body(null, 204);
    })
    .get("/api/module-runtime/context", async (c) => {
      const call = await moduleCall(c, null);
      allowOrigin(c, call.origin);
      const deps = c.var.deps;
      const has = (scope: ModuleScope) => call.claims.scp.includes(scope) && call.install.scopes.includes(scope);
      const [user, settings, space] = await Promise.all([
        has("profile.read") ? nameOf(deps, call.userId) : null,
        has("profile.read") ? viewSettingsOf(deps.db, call.userId) : null,
        has("context.read") ? contextName(deps, call) : null,
      ]);
      return c.json({
        user: { id: call.claims.sub, ...(has("profile.read") ? { displayName: user ?? "", locale: "en", timeZone: settings?.timeZone ?? "UTC" } : {}) },
        context: { id: call.claims.ctx.id, type: call.install.contextType, ...(has("context.read") ? { name: space ?? "" } : {}) },
        scopes: call.install.scopes.filter((s) => call.claims.scp.includes(s)),
      });
    })
    .get("/api/module-runtime/members", async (c) => {
      const call = await moduleCall(c, "members.read");
      allowOrigin(c, call.origin);
      const { type, id } = contextRef(call);
      const deps = c.var.deps;
      const people =
        type === "business"
          ? (await selectMembers(deps.db, id)).map((m) => ({ userId: m.userId, name: m.name, role: m.role as string }))
          : type === "household"
            ? (await listHouseholdMembers(deps, id)).map((m) => ({ userId: m.userId, name: m.name, role: m.role as string }))
            : [{ userId: call.userId, name: (await nameOf(deps, call.userId)) ?? "", role: "owner" }];
      return c.json({ members: people.map((p) => ({ id: pseudonym(call.module, "user", p.userId), name: p.name, role: p.role, you: p.userId === call.userId })) });
    })
    .get("/api/module-runtime/calendar/events", queryParams(eventsQuery), async (c) => {
      const call = await moduleCall(c, "calendar.read");
      allowOrigin(c, call.origin);
      const query = c.req.valid("query");
      const { type, id } = contextRef(call);
      const zone = query.timeZone ?? (await viewSettingsOf(c.var.deps.db, call.userId)).timeZone ?? "UTC";
      return c.json(await contextOccurrences(c.var.deps, call.userId, type, id, { from: query.from, to: query.to, zone }));
    })
    .post("/api/module-runtime/calendar/events", jsonBody(moduleEventInput), async (c) => {
      const call = await moduleCall(c, "calendar.write");
      allowOrigin(c, call.origin);
      const { type, id } = contextRef(call);
      const event = await createContextEvent(c.var.deps, call.userId, type, id, c.req.valid("json"), { ...requestMeta(c), viaModule: call.module.id });
      return c.json({ event: { id: event.id, title: event.title, start: event.start, end: event.end, timeZone: event.timeZone, allDay: event.allDay } }, 201);
    })
    .get("/api/module-runtime/chat/channels", async (c) => {
      const call = await moduleCall(c, "chat.post");
      allowOrigin(c, call.origin);
      return c.json({ channels: (await channelsFor(c.var.deps, call)).map((ch) => ({ id: ch.pseudonym, name: ch.name })) });
    })
    .post("/api/module-runtime/chat", jsonBody(chatInput), async (c) => {
      const call = await moduleCall(c, "chat.post");
      allowOrigin(c, call.origin);
      const input = c.req.valid("json");
      const target = (await channelsFor(c.var.deps, call)).find((ch) => ch.pseudonym === input.channel);
      if (!target) throw new AppError(404, "not_found", "There is no such channel in this space that you may read.", { fieldErrors: { channel: ["Use an id from GET /api/module-runtime/chat/channels."] } });
      const message = await postMessage(c.var.deps, call.userId, target.id, { text: input.text });
      return c.json({ message: { id: message.id, channel: input.channel } }, 201);
    })
    .post("/api/module-runtime/notifications", jsonBody(notificationInput), async (c) => {
      const call = await moduleCall(c, "notifications.send");
      allowOrigin(c, call.origin);
      const input = c.req.valid("json");
      const deps = c.var.deps;
      // To the person the module acts for, and no one else; the link opens the module's tab.
      const id = await writeTransaction(deps.db, (tx) =>
        notify(tx, deps, call.userId, { kind: "modules.message", title: `${call.module.name}: ${input.title}`, body: input.body, url: hostPath(call.install.contextType, call.install.contextId, call.module.id) }),
      );
      return c.json({ notification: { id, delivered: id !== null } }, 201);
    });
}
