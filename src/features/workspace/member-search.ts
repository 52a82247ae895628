import { and, asc, sql } from "drizzle-orm";
import type { Deps } from "../../deps";
import { validationError } from "../../lib/errors";
import { decodeCursor, fetchLimit, nextCursor, pageOf } from "../../lib/pager";
import { users } from "../auth";
import type { Db } from "../../db/types";
import { notAMember, requireMembership } from "./access";
import type { UserSearchInput } from "./input";
import { businessMembers } from "./schema";

export interface UserHit {
  id: string;
  name: string;
  email: string;
}

const badCursor = () => validationError({ cursor: ["That cursor is not one this search gave."] }, "Some query parameters are invalid.");

/**
 * Users whose name or email contains `q`, case-insensitively, among the people the caller may see:
 * members of the businesses the caller belongs to (only `businessId`'s members when given; a
 * business the caller is not in is a 404). Ordered by name (case-insensitive), then id.
 *
 * `q` is bound as a parameter and matched with instr(), so quotes, `%`, `_` and backslashes are
 * plain characters. SQLite's lower() folds ASCII only, so the query is also tried in its own
 * upper- and lower-case forms: "émile" finds "Émile" as well.
 */
export async function searchUsers(deps: Pick<Deps, "db">, callerId: string, input: UserSearchInput): Promise<{ users: UserHit[]; nextCursor: string | null }> {
  const scoped = input.businessId !== undefined;
  // The cursor is the last row's sort key (name, id), an opaque cursor (lib/pager): it stays valid
  // when rows are added or removed before it.
  let after: { name: string; id: string } | null = null;
  if (input.cursor) {
    const key = decodeCursor(input.cursor, ["string", "string"]);
    if (!key) {
      // A business the caller is not in is a 404 whatever else is wrong with the query.
      if (scoped) await requireMembership(deps.db, callerId, input.businessId!);
      throw badCursor();
    }
    after = { name: key[0], id: key[1] };
  }
  const variants = [...new Set([input.q, input.q.toLowerCase(), input.q.toUpperCase()])];
  const params: Record<string, string | number> = { callerId, businessId: input.businessId ?? "", limit: fetchLimit(input.limit), afterName: after?.name ?? "", afterId: after?.id ?? "" };
  variants.forEach((v, i) => (params[`q${i}`] = v));
  const [row] = await searchQuery(deps.db, scoped, after !== null, variants.length).all(params);
  if (row!.hits === null) throw notAMember(); // scoped to a business the caller is not in
  const rows = (JSON.parse(row!.hits) as [string, string, string][]).map(([id, name, email]) => ({ id, name, email }));
  const page = pageOf(rows, input.limit);
  return { users: page.rows, nextCursor: nextCursor(page, (last) => [last.name, last.id]) };
}

// The search is one prepared statement per shape (scoped to a business or not, after a cursor or
// not, 1–3 spellings of q), built on first use, returning one JSON column; scoped to a business it
// also checks the caller's membership, NULL when they are not in it. See docs/performance.md:
// statements, columns and drizzle building SQL are the cost of a request here.
const searchQueries = new WeakMap<Db, Map<string, ReturnType<typeof prepareSearch>>>();
function searchQuery(db: Db, scoped: boolean, paged: boolean, variants: number) {
  let queries = searchQueries.get(db);
  if (!queries) searchQueries.set(db, (queries = new Map()));
  const key = `${scoped}:${paged}:${variants}`;
  let query = queries.get(key);
  if (!query) queries.set(key, (query = prepareSearch(db, scoped, paged, variants)));
  return query;
}

function prepareSearch(db: Db, scoped: boolean, paged: boolean, variants: number) {
  const p = sql.placeholder;
  const matches = sql.join(
    // An address finds its account only once it is confirmed: anyone can register with anyone's address.
    Array.from({ length: variants }, (_, i) => sql`instr(lower(${users.name}), lower(${p(`q${i}`)})) > 0 or (${users.emailVerified} = 1 and instr(lower(${users.email}), lower(${p(`q${i}`)})) > 0)`),
    sql` or `,
  );
  const scope = scoped ? sql`and seen.business_id = ${p("businessId")}` : sql``;
  const afterName = p("afterName");
  const afterId = p("afterId");
  const hits = db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(
      and(
        sql`exists (select 1 from business_members seen join business_members mine on mine.business_id = seen.business_id
                    where seen.user_id = ${users.id} and mine.user_id = ${p("callerId")} ${scope})`,
        sql`(${matches})`,
        paged ? sql`(${users.name} collate nocase > ${afterName} or (${users.name} collate nocase = ${afterName} and ${users.id} > ${afterId}))` : undefined,
      ),
    )
    .orderBy(sql`${users.name} collate nocase`, asc(users.id))
    .limit(p("limit"))
    .as("hits");
  // In the order of the ordered, limited subquery (sqld cannot parse json_group_array(… order by …)).
  const list = sql`(select json_group_array(json_array(${hits.id}, ${hits.name}, ${hits.email})) from ${hits})`;
  const member = sql`exists (select 1 from ${businessMembers} where ${businessMembers.businessId} = ${p("businessId")} and ${businessMembers.userId} = ${p("callerId")})`;
  return db
    .select({ hits: scoped ? sql<string | null>`case when ${member} then ${list} end` : sql<string | null>`${list}` })
    .from(sql`(select 1)`)
    .prepare();
}
