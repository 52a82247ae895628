// Platform admins' review: approve or reject a version (the developer is told either way), suspend or unsuspend a
// module (every open page where it is installed hears at once). Approving moves each install to the new version
// when it asks for nothing more than was granted; otherwise the install keeps its version until someone consents.
import { and, desc, eq } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import { users } from "../auth";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { notify } from "../notifications";
import { channel, publish } from "../realtime";
import { onApproval } from "./install-rules";
import { MODULES_CHANGED } from "./installs";
import { pseudonym } from "./pseudonyms";
import { marketplaceModules, moduleInstalls, moduleVersions, type MarketplaceModuleRow, type ModuleVersionRow } from "./schema";
import { queueWebhook } from "./webhooks";

type ReviewDeps = Pick<Deps, "db" | "now" | "live">;

/** Every submitted version with its module and developer: those waiting first, then the rest, newest first. */
export async function reviewQueue(db: Db) {
  const rows = await db
    .select({ module: marketplaceModules, version: moduleVersions, developer: users.name })
    .from(moduleVersions)
    .innerJoin(marketplaceModules, eq(marketplaceModules.id, moduleVersions.moduleId))
    .leftJoin(users, eq(users.id, marketplaceModules.developerId))
    .orderBy(desc(moduleVersions.submittedAt))
    .limit(500);
  return [...rows.filter((r) => r.version.state === "pending"), ...rows.filter((r) => r.version.state !== "pending")];
}

async function moduleFor(tx: Tx, moduleId: string): Promise<MarketplaceModuleRow> {
  const [module] = await tx.select().from(marketplaceModules).where(eq(marketplaceModules.id, moduleId));
  if (!module) throw new AppError(404, "not_found", "There is no such module.");
  return module;
}

async function pendingVersion(tx: Tx, moduleId: string, version: string): Promise<ModuleVersionRow> {
  const [row] = await tx.select().from(moduleVersions).where(and(eq(moduleVersions.moduleId, moduleId), eq(moduleVersions.version, version)));
  if (!row) throw new AppError(404, "not_found", "There is no such version of this module.");
  if (row.state !== "pending") throw new AppError(409, "already_reviewed", `This version was already ${row.state}.`);
  return row;
}

const portalLink = (moduleId: string) => `/developers/modules/${encodeURIComponent(moduleId)}`;

export async function approveVersion(deps: ReviewDeps, adminId: string, moduleId: string, version: string, meta: RequestMeta): Promise<{ upgraded: number; waiting: number }> {
  return writeTransaction(deps.db, async (tx) => {
    const module = await moduleFor(tx, moduleId);
    const row = await pendingVersion(tx, module.id, version);
    const now = deps.now();
    await tx.update(moduleVersions).set({ state: "approved", reviewedAt: now, reviewedBy: adminId }).where(and(eq(moduleVersions.moduleId, module.id), eq(moduleVersions.version, row.version)));
    let upgraded = 0;
    let waiting = 0;
    const installs = await tx.select().from(moduleInstalls).where(eq(moduleInstalls.moduleId, module.id));
    for (const install of installs) {
      const step = onApproval(install, row.manifest);
      const ref = { type: install.contextType, id: install.contextId };
      if (step.kind === "upgrade") {
        upgraded++;
        await tx.update(moduleInstalls).set({ version: row.version, scopes: step.scopes, updatedAt: now }).where(eq(moduleInstalls.id, install.id));
        if (step.scopesChanged) await queueWebhook(tx, deps, module, row.manifest, "scopes_changed", { context: pseudonym(module, "context", install.contextId), contextType: install.contextType, version: row.version, scopes: step.scopes, previousVersion: install.version, previousScopes: install.scopes });
        await publish(tx, deps, { channel: channel.space(ref.type, ref.id), type: MODULES_CHANGED, payload: { moduleId: module.id } });
      } else {
        waiting++;
        if (install.installedBy) {
          await notify(tx, deps, install.installedBy, { kind: "modules.update", title: `${module.name} ${row.version} asks for more access`, body: `It keeps running ${install.version} until you agree to: ${step.newScopes.join(", ")}.`, url: `/marketplace/${encodeURIComponent(module.slug)}?context=${encodeURIComponent(`${install.contextType}:${install.contextId}`)}` });
        }
      }
    }
    if (module.developerId) await notify(tx, deps, module.developerId, { kind: "modules.review", title: `${module.name} ${row.version} was approved`, url: portalLink(module.id) });
    await recordAudit(tx, now, meta, { actorUserId: adminId, action: "module.version.approved", targetType: "module", targetId: module.id, details: { version: row.version, upgraded, waiting } });
    return { upgraded, waiting };
  });
}

export async function rejectVersion(deps: ReviewDeps, adminId: string, moduleId: string, version: string, reason: string, meta: RequestMeta): Promise<void> {
  await writeTransaction(deps.db, async (tx) => {
    const module = await moduleFor(tx, moduleId);
    const row = await pendingVersion(tx, module.id, version);
    const now = deps.now();
    await tx.update(moduleVersions).set({ state: "rejected", rejectedReason: reason, reviewedAt: now, reviewedBy: adminId }).where(and(eq(moduleVersions.moduleId, module.id), eq(moduleVersions.version, row.version)));
    if (module.developerId) await notify(tx, deps, module.developerId, { kind: "modules.review", title: `${module.name} ${row.version} was not approved`, body: reason, url: portalLink(module.id) });
    await recordAudit(tx, now, meta, { actorUserId: adminId, action: "module.version.rejected", targetType: "module", targetId: module.id, details: { version: row.version, reason } });
  });
}

/** Suspends (a reason given) or lifts the suspension (null); every context it is installed in hears of it live. */
export async function setSuspended(deps: ReviewDeps, adminId: string, moduleId: string, reason: string | null, meta: RequestMeta): Promise<MarketplaceModuleRow> {
  return writeTransaction(deps.db, async (tx) => {
    const module = await moduleFor(tx, moduleId);
    const suspend = reason !== null;
    if ((module.status === "suspended") === suspend) return module;
    const now = deps.now();
    const next: MarketplaceModuleRow = { ...module, status: suspend ? "suspended" : "active", suspendedReason: reason, updatedAt: now };
    await tx.update(marketplaceModules).set({ status: next.status, suspendedReason: reason, updatedAt: now }).where(eq(marketplaceModules.id, module.id));
    const installs = await tx.select({ contextType: moduleInstalls.contextType, contextId: moduleInstalls.contextId }).from(moduleInstalls).where(eq(moduleInstalls.moduleId, module.id));
    await publish(tx, deps, ...installs.map((i) => ({ channel: channel.space(i.contextType, i.contextId), type: MODULES_CHANGED, payload: { moduleId: module.id, suspended: suspend } })));
    if (module.developerId) await notify(tx, deps, module.developerId, { kind: "modules.review", title: suspend ? `${module.name} was suspended` : `${module.name} runs again`, body: reason ?? undefined, url: portalLink(module.id) });
    await recordAudit(tx, now, meta, { actorUserId: adminId, action: suspend ? "module.suspended" : "module.unsuspended", targetType: "module", targetId: module.id, details: suspend ? { reason } : {} });
    return next;
  });
}
