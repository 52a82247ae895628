// Reads across businesses, by id or by name, for other features: the admin portal's directory and
// counts (platform admins look across every business, so there is no membership check here; the
// caller checks who may see it), and the names an invitation list shows.
import { count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Db, Tx } from "../../db/types";
import { selectMembers, type MemberView } from "./members";
import { businesses, businessMembers, departments, positions, type BusinessKind } from "./schema";

/** One business in the directory, with its member count. */
export interface DirectoryBusiness {
  id: string;
  name: string;
  kind: BusinessKind;
  members: number;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

/**
 * Businesses whose name contains `q` (case-insensitively for ASCII; every business when `q` is
 * empty), newest first, with their member counts: `limit` rows from `offset`.
 */
export async function businessDirectory(deps: Pick<Deps, "db">, query: { q: string; limit: number; offset: number }): Promise<DirectoryBusiness[]> {
  const members = sql<number>`(select count(*) from ${businessMembers} where ${businessMembers.businessId} = ${businesses.id})`;
  return deps.db
    .select({ id: businesses.id, name: businesses.name, kind: businesses.kind, members, createdAt: businesses.createdAt })
    .from(businesses)
    .where(query.q ? sql`instr(lower(${businesses.name}), lower(${query.q})) > 0` : undefined)
    .orderBy(desc(businesses.createdAt), desc(businesses.id))
    .limit(query.limit)
    .offset(query.offset);
}

export interface BusinessWithMembers {
  id: string;
  name: string;
  kind: BusinessKind;
  description: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Owners first, then admins, managers and members, each by name. */
  members: MemberView[];
}

/** One business and all its members; null when there is no such business. */
export async function businessWithMembers(deps: Pick<Deps, "db">, businessId: string): Promise<BusinessWithMembers | null> {
  const [business] = await deps.db
    .select({ id: businesses.id, name: businesses.name, kind: businesses.kind, description: businesses.description, createdAt: businesses.createdAt })
    .from(businesses)
    .where(eq(businesses.id, businessId))
    .limit(1);
  if (!business) return null;
  return { ...business, members: await selectMembers(deps.db, businessId, { order: "role" }) };
}

/** How many businesses there are. */
export async function countBusinesses(deps: Pick<Deps, "db">): Promise<number> {
  const [row] = await deps.db.select({ n: count() }).from(businesses);
  return row?.n ?? 0;
}

export interface BusinessNames {
  businesses: Map<string, string>;
  departments: Map<string, string>;
  positions: Map<string, string>;
}

/**
 * The names of these businesses, departments and positions, by id, in one statement (none when
 * every list is empty). An id that does not exist is absent. `db` may be a transaction.
 */
export async function businessNames(db: Db | Tx, ids: { businesses?: string[]; departments?: string[]; positions?: string[] }): Promise<BusinessNames> {
  const names: BusinessNames = { businesses: new Map(), departments: new Map(), positions: new Map() };
  const parts: SQL[] = [];
  const add = (kind: keyof BusinessNames, table: typeof businesses | typeof departments | typeof positions, list: string[] | undefined) => {
    const unique = [...new Set(list ?? [])];
    if (unique.length) parts.push(sql`select ${kind} as kind, ${table.id} as id, ${table.name} as name from ${table} where ${inArray(table.id, unique)}`);
  };
  add("businesses", businesses, ids.businesses);
  add("departments", departments, ids.departments);
  add("positions", positions, ids.positions);
  if (!parts.length) return names;
  const rows = await db.all<{ kind: keyof BusinessNames; id: string; name: string }>(sql.join(parts, sql` union all `));
  for (const row of rows) names[row.kind].set(row.id, row.name);
  return names;
}
