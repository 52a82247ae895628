// Links to the modules installed in some spaces ("personal:<id>", "business:<id>", "household:<id>"), for /home.
import { and, eq, inArray, or } from "drizzle-orm";
import type { Db } from "../../db/types";
import { hostPath } from "./host-paths";
import { parseContextRef } from "./install-rules";
import { marketplaceModules, moduleInstalls } from "./schema";

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
