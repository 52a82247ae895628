// The modules' personal data: being a developer, the modules one made (they stay for those who installed them; the
// maker becomes null), installs one made (a personal space's go; a business's or household's stay for it, the
// installer becomes null) and versions one reviewed as a platform admin (the reviewer becomes null).
import { and, eq, or } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { queuePrivacyWebhooks } from "./privacy-webhooks";
import { marketplaceModules, moduleDevelopers, moduleInstalls, moduleVersions } from "./schema";

const iso = (at: number) => new Date(at).toISOString();

export const modulesPersonalData: PersonalDataSource = {
  feature: "modules",
  tables: [
    { table: moduleDevelopers, columns: ["user_id"], erasure: "cascade" },
    { table: marketplaceModules, columns: ["developer_id"], erasure: "anonymize", note: "a module stays for the spaces it is installed in; its developer becomes null" },
    { table: moduleVersions, columns: ["reviewed_by"], erasure: "anonymize", note: "who reviewed a version becomes null" },
    { table: moduleInstalls, columns: ["installed_by"], erasure: "anonymize", note: "installs in the person's own space go; in a business or household they stay, and who installed becomes null" },
  ],
  async exportFor(db, userId) {
    const [developer, modules, installs] = await Promise.all([
      db.select().from(moduleDevelopers).where(eq(moduleDevelopers.userId, userId)),
      db.select().from(marketplaceModules).where(eq(marketplaceModules.developerId, userId)),
      db
        .select({ install: moduleInstalls, name: marketplaceModules.name })
        .from(moduleInstalls)
        .innerJoin(marketplaceModules, eq(marketplaceModules.id, moduleInstalls.moduleId))
        .where(or(eq(moduleInstalls.installedBy, userId), and(eq(moduleInstalls.contextType, "personal"), eq(moduleInstalls.contextId, userId)))),
    ]);
    return {
      developerSince: developer[0] ? iso(developer[0].createdAt) : null,
      modulesYouMade: modules.map((m) => ({ id: m.id, slug: m.slug, name: m.name, description: m.description, category: m.category, contexts: m.contexts, status: m.status, createdAt: iso(m.createdAt) })),
      installs: installs.map(({ install, name }) => ({ module: name, moduleId: install.moduleId, context: `${install.contextType}:${install.contextId}`, version: install.version, scopes: install.scopes, installedByYou: install.installedBy === userId, installedAt: iso(install.installedAt) })),
    };
  },
  // Modules installed where the person is hear of the export and of the erasure (privacy-webhooks.ts).
  async exported({ tx, deps, userId }) {
    await queuePrivacyWebhooks(tx, deps, userId, "data_request");
  },
  async erase({ tx, deps, userId }) {
    // Before the person's installs and memberships go (this runs before the workspace's and households' erasers).
    await queuePrivacyWebhooks(tx, deps, userId, "redact");
    const results = await Promise.all([
      tx.delete(moduleInstalls).where(and(eq(moduleInstalls.contextType, "personal"), eq(moduleInstalls.contextId, userId))),
      tx.update(moduleInstalls).set({ installedBy: null }).where(eq(moduleInstalls.installedBy, userId)),
      tx.update(marketplaceModules).set({ developerId: null }).where(eq(marketplaceModules.developerId, userId)),
      tx.update(moduleVersions).set({ reviewedBy: null }).where(eq(moduleVersions.reviewedBy, userId)),
      tx.delete(moduleDevelopers).where(eq(moduleDevelopers.userId, userId)),
    ]);
    return results.reduce((sum, r) => sum + r.rowsAffected, 0);
  },
};
