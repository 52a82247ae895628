// Telling modules about a person's privacy requests: when the person's export is made, every module installed in a
// space they are in (their own, their businesses, their households) gets `data_request`; when they are erased,
// `redact` — so the module can send or delete what it keeps about them. Queued in the export's or erasure's
// transaction; only pseudonymous ids, as every webhook.
import { and, eq, inArray, or } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Tx } from "../../db/types";
import { householdIdsOf } from "../households";
import { businessIdsOf } from "../workspace";
import { pseudonym } from "./pseudonyms";
import { marketplaceModules, moduleInstalls, moduleVersions } from "./schema";
import { queueWebhook } from "./webhooks";

export async function queuePrivacyWebhooks(tx: Tx, deps: Pick<Deps, "db" | "now">, userId: string, event: "data_request" | "redact"): Promise<number> {
  const [businesses, households] = await Promise.all([businessIdsOf(deps.db, userId), householdIdsOf(deps.db, userId)]);
  const rows = await tx
    .select({ module: marketplaceModules, install: moduleInstalls, manifest: moduleVersions.manifest })
    .from(moduleInstalls)
    .innerJoin(marketplaceModules, eq(marketplaceModules.id, moduleInstalls.moduleId))
    .innerJoin(moduleVersions, and(eq(moduleVersions.moduleId, moduleInstalls.moduleId), eq(moduleVersions.version, moduleInstalls.version)))
    .where(
      or(
        and(eq(moduleInstalls.contextType, "personal"), eq(moduleInstalls.contextId, userId)),
        businesses.length ? and(eq(moduleInstalls.contextType, "business"), inArray(moduleInstalls.contextId, businesses)) : undefined,
        households.length ? and(eq(moduleInstalls.contextType, "household"), inArray(moduleInstalls.contextId, households)) : undefined,
      ),
    );
  const byModule = new Map<string, typeof rows>();
  for (const row of rows) byModule.set(row.module.id, [...(byModule.get(row.module.id) ?? []), row]);
  let queued = 0;
  for (const list of byModule.values()) {
    const { module, manifest } = list[0]!;
    const contexts = list.map((r) => ({ id: pseudonym(module, "context", r.install.contextId), type: r.install.contextType }));
    if (await queueWebhook(tx, deps, module, manifest, event, { user: pseudonym(module, "user", userId), contexts })) queued++;
  }
  return queued;
}
