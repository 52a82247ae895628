// What the marketplace shows: the listed modules (approved, not suspended) by search, category and kind of space;
// one module's page with the spaces the viewer manages and its state in each.
import { formatMoney } from "../../lib/money";
import { and, count, eq, inArray, or, sql } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Db } from "../../db/types";
import { AppError } from "../../lib/errors";
import { users } from "../auth";
import { listHouseholdsOf } from "../households";
import { listBusinessesOf } from "../workspace";
import { hostPath } from "./host-paths";
import { contextRefText, type ContextRef } from "./install-rules";
import { listedModule } from "./installs";
import { SCOPE_WORDS, type ModulePricing } from "./manifest";
import { versionsOf } from "./registry";
import { marketplaceModules, moduleInstalls, moduleVersions, type MarketplaceModuleRow, type ModuleContextType } from "./schema";

export interface BrowseQuery {
  q?: string;
  category?: string;
  context?: ModuleContextType;
}

export async function browse(db: Db, query: BrowseQuery): Promise<MarketplaceModuleRow[]> {
  const pattern = query.q ? `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : null;
  const approved = db.select({ id: moduleVersions.moduleId }).from(moduleVersions).where(eq(moduleVersions.state, "approved"));
  const rows = await db
    .select()
    .from(marketplaceModules)
    .where(
      and(
        eq(marketplaceModules.status, "active"),
        inArray(marketplaceModules.id, approved),
        query.category ? eq(marketplaceModules.category, query.category) : undefined,
        pattern ? or(sql`${marketplaceModules.name} like ${pattern} escape '\\'`, sql`${marketplaceModules.description} like ${pattern} escape '\\'`) : undefined,
      ),
    )
    .orderBy(marketplaceModules.name)
    .limit(200);
  return rows.filter((row) => !query.context || row.contexts.includes(query.context));
}

export function priceWords(pricing: ModulePricing): string {
  if (pricing.model === "free") return "Free.";
  const amount = formatMoney(pricing.monthlyAmount, pricing.currency);
  return `${amount} a month ${pricing.model === "per_seat" ? "per member" : "per space"}.`;
}

export const scopeWords = (scopes: readonly string[]) => scopes.map((scope) => ({ scope, means: SCOPE_WORDS[scope as keyof typeof SCOPE_WORDS] ?? scope }));

export async function moduleBySlug(db: Db, slug: string) {
  const [row] = await db.select({ id: marketplaceModules.id }).from(marketplaceModules).where(eq(marketplaceModules.slug, slug));
  if (!row) throw new AppError(404, "not_found", "There is no such module.");
  return listedModule(db, row.id);
}

export async function developerName(db: Db, module: Pick<MarketplaceModuleRow, "developerId">): Promise<string> {
  const [row] = module.developerId ? await db.select({ name: users.name }).from(users).where(eq(users.id, module.developerId)) : [];
  return row?.name ?? "a former developer";
}

export interface Place {
  ref: ContextRef;
  label: string;
}

/** The spaces this person may install the module in: their own, businesses they own or administer, households they own. */
export async function installablePlaces(deps: Pick<Deps, "db">, userId: string, module: Pick<MarketplaceModuleRow, "contexts">): Promise<Place[]> {
  const [businesses, households] = await Promise.all([listBusinessesOf(deps, userId), listHouseholdsOf(deps, userId)]);
  const places: Place[] = [];
  if (module.contexts.includes("personal")) places.push({ ref: { type: "personal", id: userId }, label: "Your personal space" });
  if (module.contexts.includes("business")) for (const b of businesses) if (b.role === "owner" || b.role === "admin") places.push({ ref: { type: "business", id: b.id }, label: b.name });
  if (module.contexts.includes("household")) for (const h of households) if (h.role === "owner") places.push({ ref: { type: "household", id: h.id }, label: h.name });
  return places;
}

export async function modulePage(deps: Pick<Deps, "db">, userId: string, slug: string) {
  const { module, version } = await moduleBySlug(deps.db, slug);
  const [versions, [installs], developer, places] = await Promise.all([
    versionsOf(deps.db, module.id),
    deps.db.select({ n: count() }).from(moduleInstalls).where(eq(moduleInstalls.moduleId, module.id)),
    developerName(deps.db, module),
    installablePlaces(deps, userId, module),
  ]);
  const mine = await deps.db.select().from(moduleInstalls).where(eq(moduleInstalls.moduleId, module.id));
  const byContext = new Map(mine.map((i) => [`${i.contextType}:${i.contextId}`, i]));
  return {
    module,
    version,
    developer,
    versions: versions.filter((v) => v.state === "approved"),
    installs: installs?.n ?? 0,
    places: places.map((p) => {
      const install = byContext.get(contextRefText(p.ref));
      return {
        context: contextRefText(p.ref),
        label: p.label,
        version: install?.version ?? null,
        waitingVersion: install && install.version !== version.version ? version.version : null,
        openHref: install ? hostPath(p.ref.type, p.ref.id, module.id) : null,
      };
    }),
  };
}
