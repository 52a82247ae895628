// The developer's side of the registry: becoming a developer, creating a module, submitting a version. Every write
// is audited; a version's manifest is sanitized (manifest.ts) before it is stored and waits for review.
import { and, desc, eq } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Db, Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { newId, randomToken } from "../../lib/crypto";
import { AppError, validationError } from "../../lib/errors";
import { sealSecret } from "../../lib/secret-box";
import { recordAudit, type RequestMeta } from "../audit";
import { enforceLimit } from "../ratelimit";
import { parseManifest } from "./manifest";
import { issuer } from "./tokens";
import { compareVersions } from "./versions";
import { marketplaceModules, moduleDevelopers, moduleVersions, type MarketplaceModuleRow, type ModuleContextType, type ModuleVersionRow } from "./schema";

export const CATEGORIES = ["productivity", "communication", "scheduling", "finance", "education", "family", "analytics", "other"] as const;

export interface NewModule {
  slug: string;
  name: string;
  description: string;
  category: (typeof CATEGORIES)[number];
  contexts: ModuleContextType[];
  icon?: string;
}

/** Makes the person a developer; asking again changes nothing. */
export async function becomeDeveloper(deps: Pick<Deps, "db" | "now">, userId: string, meta: RequestMeta): Promise<{ since: number; created: boolean }> {
  return writeTransaction(deps.db, async (tx) => {
    const [found] = await tx.select().from(moduleDevelopers).where(eq(moduleDevelopers.userId, userId));
    if (found) return { since: found.createdAt, created: false };
    const now = deps.now();
    await tx.insert(moduleDevelopers).values({ userId, createdAt: now });
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "module.developer.joined", targetType: "user", targetId: userId });
    return { since: now, created: true };
  });
}

export async function isDeveloper(db: Db | Tx, userId: string): Promise<boolean> {
  const [found] = await db.select({ userId: moduleDevelopers.userId }).from(moduleDevelopers).where(eq(moduleDevelopers.userId, userId));
  return Boolean(found);
}

async function requireDeveloper(db: Db | Tx, userId: string) {
  if (!(await isDeveloper(db, userId))) throw new AppError(403, "not_a_developer", "Become a developer first (POST /api/developer).");
}

/** The module, if this developer made it; anyone else gets the same 404 as for a module that does not exist. */
export async function ownModule(db: Db | Tx, userId: string, moduleId: string): Promise<MarketplaceModuleRow> {
  const [row] = await db.select().from(marketplaceModules).where(and(eq(marketplaceModules.id, moduleId), eq(marketplaceModules.developerId, userId)));
  if (!row) throw new AppError(404, "not_found", "There is no such module of yours.");
  return row;
}

export async function createModule(deps: Pick<Deps, "db" | "now" | "config">, userId: string, input: NewModule, meta: RequestMeta): Promise<{ module: MarketplaceModuleRow; webhookSecret: string }> {
  await enforceLimit(deps, { bucket: `module-create:${userId}`, max: 20, windowMs: 86_400_000 }, "At most 20 new modules a day.");
  const webhookSecret = `whsec_${randomToken(24)}`;
  const sealed = await sealSecret(deps.config.secretKeys, WEBHOOK_SECRET_PURPOSE, webhookSecret);
  const module = await writeTransaction(deps.db, async (tx) => {
    await requireDeveloper(tx, userId);
    const [taken] = await tx.select({ id: marketplaceModules.id }).from(marketplaceModules).where(eq(marketplaceModules.slug, input.slug));
    if (taken) throw new AppError(409, "slug_taken", "Another module has this slug.", { fieldErrors: { slug: ["Another module has this slug; choose another."] } });
    const now = deps.now();
    const row: MarketplaceModuleRow = {
      id: newId(),
      slug: input.slug,
      name: input.name,
      description: input.description,
      icon: input.icon ?? input.name.slice(0, 2),
      category: input.category,
      contexts: [...new Set(input.contexts)],
      developerId: userId,
      status: "active",
      suspendedReason: null,
      webhookSecretSealed: sealed,
      pseudonymSalt: randomToken(16),
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(marketplaceModules).values(row);
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "module.created", targetType: "module", targetId: row.id, details: { slug: row.slug } });
    return row;
  });
  return { module, webhookSecret };
}

export const WEBHOOK_SECRET_PURPOSE = "module-webhook";

/** A new version for review. Its number must be new and higher than every other of the module's. */
export async function submitVersion(deps: Pick<Deps, "db" | "now" | "config">, userId: string, moduleId: string, input: { version: string; manifest: unknown }, meta: RequestMeta): Promise<ModuleVersionRow> {
  const parsed = parseManifest(input.manifest, { development: !deps.config.isProduction || deps.config.MODULES_LOCAL_URLS === "on" });
  if (!parsed.ok) throw validationError(parsed.errors, "The manifest was refused.");
  // Never module content on our own origin (its frame would be ours), nor webhooks into our own API.
  const ours = issuer(deps.config);
  const onOurOrigin: Record<string, string[]> = {};
  if (new URL(parsed.manifest.entryUrl).origin === ours) onOurOrigin["manifest.entryUrl"] = ["Host the module on your own server, not on this platform's address."];
  if (parsed.manifest.webhookUrl && new URL(parsed.manifest.webhookUrl).origin === ours) onOurOrigin["manifest.webhookUrl"] = ["Webhooks go to your own server, not to this platform's address."];
  if (Object.keys(onOurOrigin).length) throw validationError(onOurOrigin, "The manifest was refused.");
  await enforceLimit(deps, { bucket: `module-version:${moduleId}`, max: 30, windowMs: 3_600_000 }, "At most 30 versions an hour per module.");
  return writeTransaction(deps.db, async (tx) => {
    const module = await ownModule(tx, userId, moduleId);
    const versions = await tx.select({ version: moduleVersions.version }).from(moduleVersions).where(eq(moduleVersions.moduleId, module.id));
    const highest = versions.map((v) => v.version).sort(compareVersions).at(-1);
    if (highest !== undefined && compareVersions(input.version, highest) <= 0) {
      throw new AppError(409, "version_not_newer", `Versions only go up: the highest so far is ${highest}.`, { fieldErrors: { version: [`Give a version above ${highest}.`] } });
    }
    const now = deps.now();
    const row: ModuleVersionRow = { moduleId: module.id, version: input.version, manifest: parsed.manifest, state: "pending", rejectedReason: null, submittedAt: now, reviewedAt: null, reviewedBy: null };
    await tx.insert(moduleVersions).values(row);
    await tx.update(marketplaceModules).set({ updatedAt: now }).where(eq(marketplaceModules.id, module.id));
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "module.version.submitted", targetType: "module", targetId: module.id, details: { version: row.version } });
    return row;
  });
}

export async function versionsOf(db: Db | Tx, moduleId: string): Promise<ModuleVersionRow[]> {
  const rows = await db.select().from(moduleVersions).where(eq(moduleVersions.moduleId, moduleId)).orderBy(desc(moduleVersions.submittedAt));
  return rows.sort((a, b) => compareVersions(b.version, a.version));
}

/** The newest approved version: what new installs get. */
export async function latestApproved(db: Db | Tx, moduleId: string): Promise<ModuleVersionRow | null> {
  const rows = await db.select().from(moduleVersions).where(and(eq(moduleVersions.moduleId, moduleId), eq(moduleVersions.state, "approved")));
  return rows.sort((a, b) => compareVersions(b.version, a.version))[0] ?? null;
}

export async function modulesOfDeveloper(db: Db, userId: string): Promise<MarketplaceModuleRow[]> {
  return db.select().from(marketplaceModules).where(eq(marketplaceModules.developerId, userId)).orderBy(marketplaceModules.name);
}

export function moduleJson(row: MarketplaceModuleRow) {
  return { id: row.id, slug: row.slug, name: row.name, description: row.description, icon: row.icon, category: row.category, contexts: row.contexts, status: row.status, suspendedReason: row.suspendedReason, createdAt: new Date(row.createdAt).toISOString() };
}

export function versionJson(row: ModuleVersionRow) {
  return { version: row.version, state: row.state, manifest: row.manifest, rejectedReason: row.rejectedReason, submittedAt: new Date(row.submittedAt).toISOString(), reviewedAt: row.reviewedAt === null ? null : new Date(row.reviewedAt).toISOString() };
}
