// The modules' JSON: the developer portal's (/api/developer…), the review's (/api/admin/modules…, platform admins
// only) and the marketplace's (/api/modules…: browse, install, uninstall).
import { count, eq } from "drizzle-orm";
import { Hono } from "hono";
import { requirePlatformAdmin, requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody, queryParams } from "../../http/validate";
import { contextQuery, installInput, marketplaceQuery, newModuleInput, newVersionInput, rejectInput, suspendInput } from "./input";
import { installJson, installModule, listedModule, uninstallModule } from "./installs";
import { browse } from "./marketplace";
import { SCOPE_WORDS } from "./manifest";
import { becomeDeveloper, createModule, moduleJson, modulesOfDeveloper, ownModule, submitVersion, versionJson, versionsOf } from "./registry";
import { enforceLimit } from "../ratelimit";
import { runnableModule, runtimeJson, tokenFor } from "./runtime";
import { approveVersion, rejectVersion, reviewQueue, setSuspended } from "./review";
import { moduleInstalls } from "./schema";
import { deliveriesOf, deliveryJson } from "./webhooks";

export function modulesApi() {
  return new Hono<AppEnv>()
    .post("/api/developer", async (c) => {
      const { user } = requireUser(c);
      const { since, created } = await becomeDeveloper(c.var.deps, user.id, requestMeta(c));
      return c.json({ developer: { userId: user.id, since: new Date(since).toISOString() } }, created ? 201 : 200);
    })
    .get("/api/developer/modules", async (c) => {
      const { user } = requireUser(c);
      return c.json({ modules: (await modulesOfDeveloper(c.var.deps.db, user.id)).map(moduleJson) });
    })
    .post("/api/developer/modules", jsonBody(newModuleInput), async (c) => {
      const { user } = requireUser(c);
      const { module, webhookSecret } = await createModule(c.var.deps, user.id, c.req.valid("json"), requestMeta(c));
      // The webhook secret is shown this once (and in the portal to the developer); it is stored sealed.
      return c.json({ module: moduleJson(module), webhookSecret }, 201);
    })
    .get("/api/developer/modules/:id", async (c) => {
      const { user } = requireUser(c);
      const db = c.var.deps.db;
      const module = await ownModule(db, user.id, c.req.param("id"));
      const [versions, [installs]] = await Promise.all([versionsOf(db, module.id), db.select({ n: count() }).from(moduleInstalls).where(eq(moduleInstalls.moduleId, module.id))]);
      return c.json({ module: moduleJson(module), versions: versions.map(versionJson), installs: installs?.n ?? 0 });
    })
    .post("/api/developer/modules/:id/versions", jsonBody(newVersionInput), async (c) => {
      const { user } = requireUser(c);
      const version = await submitVersion(c.var.deps, user.id, c.req.param("id"), c.req.valid("json"), requestMeta(c));
      return c.json({ version: versionJson(version) }, 201);
    })
    .get("/api/developer/modules/:id/deliveries", async (c) => {
      const { user } = requireUser(c);
      const module = await ownModule(c.var.deps.db, user.id, c.req.param("id"));
      return c.json({ deliveries: (await deliveriesOf(c.var.deps.db, module.id)).map(deliveryJson) });
    })

    .use("/api/admin/modules", requirePlatformAdmin)
    .use("/api/admin/modules/*", requirePlatformAdmin)
    .get("/api/admin/modules", async (c) => {
      const rows = await reviewQueue(c.var.deps.db);
      return c.json({ versions: rows.map((r) => ({ module: moduleJson(r.module), version: versionJson(r.version) })) });
    })
    .post("/api/admin/modules/:id/versions/:version/approve", async (c) => {
      const { user } = requireUser(c);
      const result = await approveVersion(c.var.deps, user.id, c.req.param("id"), c.req.param("version"), requestMeta(c));
      return c.json({ approved: true, ...result });
    })
    .post("/api/admin/modules/:id/versions/:version/reject", jsonBody(rejectInput), async (c) => {
      const { user } = requireUser(c);
      await rejectVersion(c.var.deps, user.id, c.req.param("id"), c.req.param("version"), c.req.valid("json").reason, requestMeta(c));
      return c.json({ rejected: true });
    })
    .post("/api/admin/modules/:id/suspend", jsonBody(suspendInput), async (c) => {
      const { user } = requireUser(c);
      return c.json({ module: moduleJson(await setSuspended(c.var.deps, user.id, c.req.param("id"), c.req.valid("json").reason, requestMeta(c))) });
    })
    .post("/api/admin/modules/:id/unsuspend", async (c) => {
      const { user } = requireUser(c);
      return c.json({ module: moduleJson(await setSuspended(c.var.deps, user.id, c.req.param("id"), null, requestMeta(c))) });
    })

    .get("/api/modules", queryParams(marketplaceQuery), async (c) => {
      requireUser(c);
      return c.json({ modules: (await browse(c.var.deps.db, c.req.valid("query"))).map(moduleJson) });
    })
    .get("/api/modules/:id", async (c) => {
      requireUser(c);
      const db = c.var.deps.db;
      const { module, version } = await listedModule(db, c.req.param("id"));
      const [versions, [installs]] = await Promise.all([versionsOf(db, module.id), db.select({ n: count() }).from(moduleInstalls).where(eq(moduleInstalls.moduleId, module.id))]);
      return c.json({
        module: moduleJson(module),
        version: version.version,
        scopes: version.manifest.scopes.map((scope) => ({ scope, means: SCOPE_WORDS[scope] })),
        pricing: version.manifest.pricing,
        versions: versions.filter((v) => v.state === "approved").map((v) => ({ version: v.version, approvedAt: v.reviewedAt === null ? null : new Date(v.reviewedAt).toISOString() })),
        installs: installs?.n ?? 0,
      });
    })
    .post("/api/modules/:id/installs", jsonBody(installInput), async (c) => {
      const { user } = requireUser(c);
      const { install, created } = await installModule(c.var.deps, user.id, c.req.param("id"), c.req.valid("json"), requestMeta(c));
      return c.json({ install: installJson(install) }, created ? 201 : 200);
    })
    .get("/api/modules/:id/runtime", queryParams(contextQuery), async (c) => {
      const { user } = requireUser(c);
      return c.json(runtimeJson(await runnableModule(c.var.deps, user.id, c.req.param("id"), c.req.valid("query").context)));
    })
    .post("/api/modules/:id/token", jsonBody(contextQuery), async (c) => {
      const { user } = requireUser(c);
      const deps = c.var.deps;
      await enforceLimit(deps, { bucket: `module-token:${user.id}`, max: 120, windowMs: 60_000 }, "Too many module tokens asked for; wait a moment.");
      return c.json(await tokenFor(deps, user.id, c.req.param("id"), c.req.valid("json").context));
    })
    .delete("/api/modules/:id/installs/:context", async (c) => {
      const { user } = requireUser(c);
      await uninstallModule(c.var.deps, user.id, c.req.param("id"), c.req.param("context"), requestMeta(c));
      return c.body(null, 204);
    });
}

