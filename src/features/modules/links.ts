// Links to the modules installed in some spaces ("personal:<id>", "business:<id>", "household:<id>"), for /home.
import { and, eq, inArray, or } from "drizzle-orm";
import type { Db } from "../../db/types";
import { hostPath } from "./host-paths";
import { parseContextRef } from "./install-rules";
import { marketplaceModules, moduleInstalls, moduleVersions } from "./schema";

export async function installedModuleLinks(db: Db, contexts: string[]): Promise<Map<string, { name: string; href: string }[]>> {
  const refs = contexts.map(parseContextRef).filter((ref) => ref !== null);
  const links = new Map<string, { name: string; href: string }[]>();
  if (refs.length === 0) return links;
  const rows = await db
    .select({ id: marketplaceModules.id, name: marketplaceModules.name, contextType: moduleInstalls.contextType, contextId: moduleInstalls.contextId })
    .from(moduleInstalls)
    .innerJoin(marketplaceModules, eq(marketplaceModules.id, moduleInstalls.moduleId))
    .where(or(...refs.map((ref) => and(eq(moduleInstalls.contextType, ref.type), inArray(moduleInstalls.contextId, [ref.id])))))
    .orderBy(marketplaceModules.name);
  for (const row of rows) {
    const key = `${row.contextType}:${row.contextId}`;
    links.set(key, [...(links.get(key) ?? []), { name: row.name, href: hostPath(row.contextType, row.contextId, row.id) }]);
  }
  return links;
}

export interface InstalledPaidModule {
  moduleId: string;
  name: string;
  href: string;
  pricing: { model: "per_seat" | "per_context"; monthlyAmount: number; currency: string };
}

/** The paid modules installed in a space, priced as the version running there says (for its billing page). */
export async function installedPaidModules(db: Db, context: string): Promise<InstalledPaidModule[]> {
  const ref = parseContextRef(context);
  if (!ref) return [];
  const rows = await db
    .select({ id: marketplaceModules.id, name: marketplaceModules.name, manifest: moduleVersions.manifest })
    .from(moduleInstalls)
    .innerJoin(marketplaceModules, eq(marketplaceModules.id, moduleInstalls.moduleId))
    .innerJoin(moduleVersions, and(eq(moduleVersions.moduleId, moduleInstalls.moduleId), eq(moduleVersions.version, moduleInstalls.version)))
    .where(and(eq(moduleInstalls.contextType, ref.type), eq(moduleInstalls.contextId, ref.id)))
    .orderBy(marketplaceModules.name);
  return rows.flatMap((row) => {
    const pricing = row.manifest.pricing;
    return pricing.model === "free" ? [] : [{ moduleId: row.id, name: row.name, href: hostPath(ref.type, ref.id, row.id), pricing }];
  });
}

/** Who built each of these modules (null once the developer's account is gone). */
export async function moduleDevelopersOf(db: Db, moduleIds: string[]): Promise<Map<string, string | null>> {
  if (moduleIds.length === 0) return new Map();
  const rows = await db.select({ id: marketplaceModules.id, developerId: marketplaceModules.developerId }).from(marketplaceModules).where(inArray(marketplaceModules.id, moduleIds));
  return new Map(rows.map((r) => [r.id, r.developerId]));
}
