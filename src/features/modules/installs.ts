// Installing a module into a personal space, a business or a household, with exactly the scopes its newest approved
// version asks for; consenting again to a version that asks for more; uninstalling. Each write is audited, queues
// the module's webhook and tells the context's open pages (their tabs change).
import { and, count, eq } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Db, Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { AppError, validationError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { requireHouseholdMembership } from "../households";
import { channel, publish } from "../realtime";
import { addModuleTab, marketplaceTabId, removeModuleTab, requireMembership } from "../workspace";
import { consentErrors, contextRefText, mayInstall, parseContextRef, supportsContext, type ContextRef } from "./install-rules";
import { pseudonym } from "./pseudonyms";
import { latestApproved } from "./registry";
import { marketplaceModules, moduleInstalls, moduleVersions, type MarketplaceModuleRow, type ModuleInstallRow } from "./schema";
import { queueWebhook } from "./webhooks";

export const MODULES_CHANGED = "modules.changed";

/** The context named by `text`, if the person may install there: 400 malformed, 404 not theirs, 403 not allowed. */
export async function installableContext(db: Db, userId: string, text: string): Promise<ContextRef> {
  const ref = parseContextRef(text);
  if (!ref) throw validationError({ context: ['Name the space as "personal:<your id>", "business:<id>" or "household:<id>".'] });
  if (ref.type === "personal") {
    if (ref.id !== userId) throw new AppError(404, "not_found", "There is no such space of yours.");
    return ref;
  }
  if (ref.type === "business") {
    const membership = await requireMembership(db, userId, ref.id);
    if (!mayInstall(ref, { userId, businessRole: membership.member.role })) throw new AppError(403, "forbidden", "Only the business's owners and admins may install or remove modules.");
    return ref;
  }
  const membership = await requireHouseholdMembership(db, userId, ref.id);
  if (!mayInstall(ref, { userId, householdRole: membership.member.role })) throw new AppError(403, "forbidden", "Only the household's owners may install or remove modules.");
  return ref;
}

/** A module anyone may see in the marketplace: it exists and has an approved version. Suspended ones are a 423. */
export async function listedModule(db: Db | Tx, moduleId: string) {
  const [module] = await db.select().from(marketplaceModules).where(eq(marketplaceModules.id, moduleId));
  const version = module ? await latestApproved(db, module.id) : null;
  if (!module || !version) throw new AppError(404, "not_found", "There is no such module.");
  if (module.status === "suspended") throw new AppError(423, "module_suspended", "This module is suspended.");
  return { module, version };
}

async function installIn(db: Db | Tx, moduleId: string, ref: ContextRef): Promise<ModuleInstallRow | null> {
  const [row] = await db.select().from(moduleInstalls).where(and(eq(moduleInstalls.moduleId, moduleId), eq(moduleInstalls.contextType, ref.type), eq(moduleInstalls.contextId, ref.id)));
  return row ?? null;
}

/**
 * Installs (201, created) or consents again to the newest approved version (200). The scopes granted must be
 * exactly those it asks for; granting them again to the version already running changes nothing.
 */
export async function installModule(deps: Pick<Deps, "db" | "now" | "live" | "entitlements">, userId: string, moduleId: string, input: { context: string; scopes: string[] }, meta: RequestMeta): Promise<{ install: ModuleInstallRow; created: boolean }> {
  const ref = await installableContext(deps.db, userId, input.context);
  const plan = await deps.entitlements.limits(contextRefText(ref));
  return writeTransaction(deps.db, async (tx) => {
    const { module, version } = await listedModule(tx, moduleId);
    if (!supportsContext(module.contexts, ref.type)) throw validationError({ context: [`This module is not made for a ${ref.type === "personal" ? "personal space" : ref.type}.`] });
    const errors = consentErrors(version.manifest.scopes, input.scopes);
    if (Object.keys(errors).length) throw validationError(errors, "The consent does not match what the module asks for.");
    const found = await installIn(tx, module.id, ref);
    const now = deps.now();
    if (found && found.version === version.version) return { install: found, created: false };
    const data = { context: pseudonym(module, "context", ref.id), contextType: ref.type, user: pseudonym(module, "user", userId), version: version.version, scopes: version.manifest.scopes };
    let install: ModuleInstallRow;
    if (found) {
      install = { ...found, version: version.version, scopes: [...version.manifest.scopes], updatedAt: now };
      await tx.update(moduleInstalls).set({ version: install.version, scopes: install.scopes, updatedAt: now }).where(eq(moduleInstalls.id, found.id));
      await queueWebhook(tx, deps, module, version.manifest, "scopes_changed", { ...data, previousVersion: found.version, previousScopes: found.scopes });
      await recordAudit(tx, now, meta, { actorUserId: userId, action: "module.install.consented", targetType: "module", targetId: module.id, details: { context: contextRefText(ref), from: found.version, to: install.version, scopes: install.scopes } });
    } else {
      const [{ installed }] = (await tx.select({ installed: count() }).from(moduleInstalls).where(and(eq(moduleInstalls.contextType, ref.type), eq(moduleInstalls.contextId, ref.id)))) as [{ installed: number }];
      if (installed >= plan.modules) throw new AppError(409, "module_limit", `The ${plan.plan.name} plan allows ${plan.modules} marketplace modules in a space, and this one has ${installed}. Remove one, or move to a bigger plan on the billing page.`);
      install = { id: newId(), moduleId: module.id, contextType: ref.type, contextId: ref.id, version: version.version, scopes: [...version.manifest.scopes], installedBy: userId, installedAt: now, updatedAt: now };
      await tx.insert(moduleInstalls).values(install);
      if (ref.type === "business") await addModuleTab(tx, ref.id, { id: marketplaceTabId(module.id), label: module.name, description: module.description }, now);
      await queueWebhook(tx, deps, module, version.manifest, "installed", data);
      await recordAudit(tx, now, meta, { actorUserId: userId, action: "module.installed", targetType: "module", targetId: module.id, details: { context: contextRefText(ref), version: install.version, scopes: install.scopes } });
    }
    await publish(tx, deps, { channel: channel.space(ref.type, ref.id), type: MODULES_CHANGED, payload: { moduleId: module.id } });
    return { install, created: !found };
  });
}

export async function uninstallModule(deps: Pick<Deps, "db" | "now" | "live">, userId: string, moduleId: string, contextText: string, meta: RequestMeta): Promise<void> {
  const ref = await installableContext(deps.db, userId, contextText);
  await writeTransaction(deps.db, async (tx) => {
    const [module] = await tx.select().from(marketplaceModules).where(eq(marketplaceModules.id, moduleId));
    const found = module ? await installIn(tx, module.id, ref) : null;
    if (!module || !found) throw new AppError(404, "not_found", "This module is not installed there.");
    const [version] = await tx.select().from(moduleVersions).where(and(eq(moduleVersions.moduleId, module.id), eq(moduleVersions.version, found.version)));
    await tx.delete(moduleInstalls).where(eq(moduleInstalls.id, found.id));
    if (ref.type === "business") await removeModuleTab(tx, ref.id, marketplaceTabId(module.id));
    if (version) await queueWebhook(tx, deps, module, version.manifest, "uninstalled", { context: pseudonym(module, "context", ref.id), contextType: ref.type, user: pseudonym(module, "user", userId) });
    await recordAudit(tx, deps.now(), meta, { actorUserId: userId, action: "module.uninstalled", targetType: "module", targetId: module.id, details: { context: contextRefText(ref), version: found.version } });
    await publish(tx, deps, { channel: channel.space(ref.type, ref.id), type: MODULES_CHANGED, payload: { moduleId: module.id } });
  });
}

/** The modules installed in a context, with the version each runs. */
export async function installsIn(db: Db, ref: ContextRef): Promise<{ install: ModuleInstallRow; module: MarketplaceModuleRow }[]> {
  const rows = await db
    .select({ install: moduleInstalls, module: marketplaceModules })
    .from(moduleInstalls)
    .innerJoin(marketplaceModules, eq(marketplaceModules.id, moduleInstalls.moduleId))
    .where(and(eq(moduleInstalls.contextType, ref.type), eq(moduleInstalls.contextId, ref.id)));
  return rows.sort((a, b) => a.module.name.localeCompare(b.module.name));
}

export function installJson(row: ModuleInstallRow) {
  return { id: row.id, moduleId: row.moduleId, context: `${row.contextType}:${row.contextId}`, version: row.version, scopes: row.scopes, installedAt: new Date(row.installedAt).toISOString(), updatedAt: new Date(row.updatedAt).toISOString() };
}
