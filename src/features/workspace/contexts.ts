import { eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Deps } from "../../deps";
import { AppError } from "../../lib/errors";
import { listHouseholdsOf } from "../households";
import type { ContextLink } from "./context-link";
import { contextPreferences } from "./schema";
import { listBusinessesOf } from "./service";

export type { ContextLink } from "./context-link";

export async function listContexts(deps: Pick<Deps, "db">, userId: string): Promise<ContextLink[]> {
  const [businesses, households] = await Promise.all([listBusinessesOf(deps, userId), listHouseholdsOf(deps, userId)]);
  return [
    { key: "personal", kind: "personal", label: "Personal", href: "/home", role: null },
    ...businesses.map((b): ContextLink => ({ key: `business:${b.id}`, kind: b.kind, label: b.name, href: `/business/${b.id}/workspace`, role: b.role })),
    ...households.map((h): ContextLink => ({ key: `household:${h.id}`, kind: "household", label: h.name, href: `/household/${h.id}`, role: h.role })),
  ];
}

/** The contexts and the one the user last chose (Personal when none, or when it is gone). */
export async function contextsWithActive(deps: Pick<Deps, "db">, userId: string) {
  const [contexts, activeKey] = await Promise.all([listContexts(deps, userId), activeContextOf(deps, userId)]);
  const active = contexts.find((c) => c.key === activeKey) ?? contexts[0]!;
  return { contexts, active };
}

/** The key of the context the user last chose; null when none was. */
export async function activeContextOf(deps: Pick<Deps, "db">, userId: string): Promise<string | null> {
  const [preference] = await deps.db.select({ key: contextPreferences.activeContext }).from(contextPreferences).where(eq(contextPreferences.userId, userId)).limit(1);
  return preference?.key ?? null;
}

/** activeContextOf as an SQL expression, to ask in a statement that is run anyway (openWorkspace). */
export function activeContextSql(userId: SQLWrapper): SQL<string | null> {
  return sql<string | null>`(select ${contextPreferences.activeContext} from ${contextPreferences} where ${contextPreferences.userId} = ${userId})`;
}

/** Remembers the chosen context; only one the user belongs to. Returns where it lives. */
export async function chooseContext(deps: Deps, userId: string, key: string): Promise<ContextLink> {
  const target = (await listContexts(deps, userId)).find((c) => c.key === key);
  if (!target) throw new AppError(404, "not_found", "There is no such context, or you are not a member of it.");
  await rememberContext(deps, userId, key);
  return target;
}

export async function rememberContext(deps: Pick<Deps, "db" | "now">, userId: string, key: string): Promise<void> {
  const now = deps.now();
  await deps.db
    .insert(contextPreferences)
    .values({ userId, activeContext: key, updatedAt: now })
    .onConflictDoUpdate({ target: contextPreferences.userId, set: { activeContext: key, updatedAt: now } });
}
