// What the admin tools for Block IDs read and do: users with their current number, one user's or
// one number's audit trail, and an admin's move of a user to another place. Users are read from
// auth's users table; numbers, places and histories come from location's service API.
import { and, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/types";
import type { Deps } from "../../deps";
import { AppError, validationError } from "../../lib/errors";
import { fetchLimit, nextCursor, pageOf } from "../../lib/pager";
import type { AuditMatch, RequestMeta } from "../audit";
import { moveUser, users } from "../auth";
import { blockIdValuesOf, currentBlockIdsOf, findIssuedBlockId, townForPick, type LocationSource, type MoveResult, type PickedLocation, type Place } from "../location";
import { auditListPage, type AuditListItem } from "./audit-log";
import type { BlockIdSearch, EventPage } from "./input";

// ---- Users with their current Block ID ----

export interface BlockIdUser {
  id: string;
  name: string;
  email: string;
  createdAt: number;
  /** Null only in the moment before an account's first number is issued. */
  blockId: string | null;
  source: LocationSource | null;
  issuedAt: number | null;
  place: Place | null;
}

const userColumns = { id: users.id, name: users.name, email: users.email, createdAt: users.createdAt };

type UserRow = { id: string; name: string; email: string; createdAt: number };

/** The users with their current Block ID and its place, asked of location for the whole page at once. */
async function withBlockIds(db: Db, rows: UserRow[]): Promise<BlockIdUser[]> {
  const current = await currentBlockIdsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => {
    const number = current.get(row.id);
    return { ...row, blockId: number?.value ?? null, source: number?.source ?? null, issuedAt: number?.issuedAt ?? null, place: number?.place ?? null };
  });
}

/**
 * A Block ID that starts with `q`, or a name or an email that contains it, ignoring case. instr()
 * takes the text literally, so `%`, `_`, quotes and backslashes are plain characters. SQLite's
 * lower() folds ASCII only, so the search is also tried in its own upper- and lower-case forms:
 * "émile" finds "Émile" as well.
 */
function userMatch(q: string): SQL {
  const spellings = [...new Set([q, q.toLowerCase(), q.toUpperCase()])];
  return or(
    sql`instr(${users.blockId}, ${q}) = 1`,
    ...spellings.flatMap((s) => [sql`instr(lower(${users.name}), lower(${s})) > 0`, sql`instr(lower(${users.email}), lower(${s})) > 0`]),
  )!;
}

/** Users, newest account first, with their current Block ID and its place; paged by a cursor. */
export async function searchBlockIdUsers(db: Db, query: BlockIdSearch): Promise<{ users: BlockIdUser[]; nextCursor: string | null }> {
  const after = query.cursor;
  const rows = await db
    .select(userColumns)
    .from(users)
    .where(
      and(
        query.q ? userMatch(query.q) : undefined,
        after ? or(lt(users.createdAt, after.at), and(eq(users.createdAt, after.at), lt(users.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(fetchLimit(query.limit));
  const page = pageOf(rows, query.limit);
  return { users: await withBlockIds(db, page.rows), nextCursor: nextCursor(page, (last) => [last.createdAt, last.id]) };
}

export async function findBlockIdUser(db: Db, userId: string): Promise<BlockIdUser | null> {
  const rows = await db.select(userColumns).from(users).where(eq(users.id, userId)).limit(1);
  const [user] = await withBlockIds(db, rows);
  return user ?? null;
}

/** The user, or a 404. */
export async function existingBlockIdUser(db: Db, userId: string): Promise<BlockIdUser> {
  const user = await findBlockIdUser(db, userId);
  if (!user) throw new AppError(404, "not_found", "There is no such user.");
  return user;
}

// ---- One number ----

export interface BlockIdRecord {
  value: string;
  userId: string;
  userName: string;
  userEmail: string;
  issuedAt: number;
  retiredAt: number | null;
  source: LocationSource;
  place: Place | null;
}

/** One issued number with its holder and place, or null when it was never issued. */
export async function findBlockIdRecord(db: Db, value: string): Promise<BlockIdRecord | null> {
  const issued = await findIssuedBlockId(db, value);
  if (!issued) return null;
  const [holder] = await db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, issued.userId)).limit(1);
  if (!holder) return null;
  const { value: number, userId, issuedAt, retiredAt, source, place } = issued;
  return { value: number, userId, userName: holder.name, userEmail: holder.email, issuedAt, retiredAt, source, place };
}

/** The issued number, or a 404. */
export async function issuedBlockIdRecord(db: Db, value: string): Promise<BlockIdRecord> {
  const record = await findBlockIdRecord(db, value);
  if (!record) throw new AppError(404, "not_found", "No such Block ID has been issued.");
  return record;
}

// ---- Audit trails ----

export type AuditEventItem = AuditListItem;

/** Audit events matching any of `matches`, newest first, paged by a cursor on (at, id). */
async function auditPage(db: Db, matches: AuditMatch[], page: EventPage): Promise<{ events: AuditEventItem[]; nextCursor: string | null }> {
  const found = await auditListPage(db, matches, page.cursor, page.limit);
  return { events: found.rows, nextCursor: nextCursor(found, (last) => [last.at, last.id]) };
}

/**
 * What the audit log says about a user, in three parts:
 * - events whose target is the user (their location changes, sign-ins, an admin's changes to them);
 * - events whose target is one of their Block IDs (issue, retire). A number belongs to one user for
 *   ever, so "a Block ID of the user" is the same set as "details.userId is the user", and it is
 *   found through the target index rather than by reading every event's details;
 * - events the user did themselves as the actor (for an admin, that includes what they did to others).
 */
export async function userAuditEvents(db: Db, userId: string, page: EventPage) {
  return auditPage(
    db,
    [
      { targetType: "user", targetId: userId },
      { targetType: "block_id", targetIds: await blockIdValuesOf(db, userId) },
      { actorUserId: userId },
    ],
    page,
  );
}

/**
 * A number's own history: the events about it (issue, retire) and its holder's location changes
 * that name it as before or after.
 */
export function blockIdAuditEvents(db: Db, record: BlockIdRecord, page: EventPage) {
  return auditPage(
    db,
    [
      { targetType: "block_id", targetId: record.value },
      {
        targetType: "user",
        targetId: record.userId,
        action: "user.location_change",
        detailsAt: { paths: ["$.before.blockId", "$.after.blockId"], value: record.value },
      },
    ],
    page,
  );
}

// ---- Moving a user ----

/**
 * Moves a user where an admin picked. A town is the usual pick; a region or a country alone is
 * accepted too and lands the user in its Unassigned (000) town, because most countries have no
 * regions or towns yet and a user can still belong to one. Nothing picked, a pick that does not
 * nest (a town of another country) or the user's own town is a 400 with the field named.
 */
export async function moveUserByAdmin(deps: Pick<Deps, "db" | "now">, actorUserId: string, userId: string, picked: PickedLocation, meta: RequestMeta): Promise<MoveResult> {
  const townId = await townForPick(deps, picked);
  if (!townId) throw validationError({ countryId: ["Choose a country, and a region and a town in it."] }, "Choose where to move the user.");
  return moveUser(deps, { userId, townId, source: "admin", actorUserId }, meta);
}
