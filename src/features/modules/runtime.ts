// Whether a person may run a module in a space, and what the host page needs to run it: 404 when the module does
// not exist (or the space is not theirs), 423 when it is suspended, 403 when it is not installed there or the
// business hides it from this member (the tab rules of the built-in modules), 402 when it is paid for and the
// space has no entitlement. Tokens are issued only past the same checks.
import { and, eq } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Db } from "../../db/types";
import { AppError, validationError } from "../../lib/errors";
import { requireHouseholdMembership } from "../households";
import { marketplaceTabId, memberSeesModule, requireMembership } from "../workspace";
import { parseContextRef, type ContextRef } from "./install-rules";
import { moduleOrigin, type ModuleManifest } from "./manifest";
import { pseudonym } from "./pseudonyms";
import { marketplaceModules, moduleInstalls, moduleVersions, type MarketplaceModuleRow, type ModuleInstallRow } from "./schema";
import { issueToken } from "./tokens";

export interface RunnableModule {
  module: MarketplaceModuleRow;
  install: ModuleInstallRow;
  manifest: ModuleManifest;
  ref: ContextRef;
}

/** The context the person is in, or a 404 (a business or household they are not in; someone else's personal space). */
async function memberContext(deps: Pick<Deps, "db" | "log">, userId: string, text: string, module: MarketplaceModuleRow | null): Promise<ContextRef & { allowed: boolean }> {
  const ref = parseContextRef(text);
  if (!ref) throw validationError({ context: ['Name the space as "personal:<id>", "business:<id>" or "household:<id>".'] });
  if (ref.type === "personal") {
    if (ref.id !== userId) throw new AppError(404, "not_found", "There is no such space of yours.");
    return { ...ref, allowed: true };
  }
  if (ref.type === "household") {
    await requireHouseholdMembership(deps.db, userId, ref.id);
    return { ...ref, allowed: true };
  }
  const membership = await requireMembership(deps.db, userId, ref.id);
  // The business's tab rules for the module (its tab exists while it is installed there).
  const allowed = module ? await memberSeesModule(deps, ref.id, membership.member, marketplaceTabId(module.id)) : false;
  return { ...ref, allowed };
}

export async function runnableModule(deps: Pick<Deps, "db" | "log" | "entitlements">, userId: string, moduleId: string, contextText: string): Promise<RunnableModule> {
  const [module] = await deps.db.select().from(marketplaceModules).where(eq(marketplaceModules.id, moduleId));
  const context = await memberContext(deps, userId, contextText, module ?? null);
  if (!module) throw new AppError(404, "not_found", "There is no such module.");
  const ref: ContextRef = { type: context.type, id: context.id };
  const install = await installOf(deps.db, module.id, ref);
  if (!install) {
    // Not installed here: a module nobody can see in the marketplace stays a 404 (nothing to learn about it).
    const [approved] = await deps.db.select({ v: moduleVersions.version }).from(moduleVersions).where(and(eq(moduleVersions.moduleId, module.id), eq(moduleVersions.state, "approved"))).limit(1);
    if (!approved) throw new AppError(404, "not_found", "There is no such module.");
  }
  if (module.status === "suspended") throw new AppError(423, "module_suspended", "This module is suspended.", { reason: module.suspendedReason });
  if (!install) throw new AppError(403, "not_installed", "This module is not installed in this space.");
  if (!context.allowed) throw new AppError(403, "module_forbidden", `The ${module.name} module is not available to you in this business.`);
  const [version] = await deps.db.select().from(moduleVersions).where(and(eq(moduleVersions.moduleId, module.id), eq(moduleVersions.version, install.version)));
  if (!version) throw new AppError(404, "not_found", "There is no such module.");
  const manifest = version.manifest;
  if (manifest.pricing.model !== "free" && !(await deps.entitlements.has(`${ref.type}:${ref.id}`, `module:${module.id}`))) {
    throw new AppError(402, "payment_required", `${module.name} is a paid module and this space has no subscription to it.`);
  }
  return { module, install, manifest, ref };
}

async function installOf(db: Db, moduleId: string, ref: ContextRef): Promise<ModuleInstallRow | null> {
  const [row] = await db.select().from(moduleInstalls).where(and(eq(moduleInstalls.moduleId, moduleId), eq(moduleInstalls.contextType, ref.type), eq(moduleInstalls.contextId, ref.id)));
  return row ?? null;
}

/** What the host page needs: the sanitized manifest of the version installed here, and how to frame it. */
export function runtimeJson(run: RunnableModule) {
  return {
    module: { id: run.module.id, slug: run.module.slug, name: run.module.name, icon: run.module.icon },
    version: run.install.version,
    context: `${run.ref.type}:${run.ref.id}`,
    manifest: { entryUrl: run.manifest.entryUrl, bridge: run.manifest.bridge, scopes: run.install.scopes },
    origin: moduleOrigin(run.manifest),
    frame: { sandbox: FRAME_SANDBOX, allow: FRAME_ALLOW, referrerPolicy: "no-referrer" },
    tokenUrl: `/api/modules/${encodeURIComponent(run.module.id)}/token`,
  };
}

/** Scripts, forms and popups — never allow-same-origin, which would let the frame reach out of its sandbox. */
export const FRAME_SANDBOX = "allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox";
/** No camera, microphone, location, payment or the like: a module asks for none of these. */
export const FRAME_ALLOW = "clipboard-write";

export async function tokenFor(deps: Pick<Deps, "db" | "log" | "entitlements" | "config" | "now">, userId: string, moduleId: string, contextText: string) {
  const run = await runnableModule(deps, userId, moduleId, contextText);
  const { token, expiresAt } = await issueToken(deps, {
    audience: moduleOrigin(run.manifest),
    subject: pseudonym(run.module, "user", userId),
    context: { type: run.ref.type, id: pseudonym(run.module, "context", run.ref.id) },
    scopes: run.install.scopes,
    installId: run.install.id,
    userId,
  });
  return { token, expiresAt: new Date(expiresAt).toISOString() };
}
