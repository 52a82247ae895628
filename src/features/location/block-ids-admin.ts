// What the admin tools for Block IDs read and do: users with their current number, one user's or
// one number's audit trail, and an admin's move of a user to another place.
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { and, desc, eq, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/types";
import type { Deps } from "../../deps";
import { validationError } from "../../lib/errors";
import { auditListPage, type AuditListItem } from "../admin";
import type { AuditMatch, RequestMeta } from "../audit";
import { users } from "../auth/schema";
import { BLOCK_ID_PATTERN } from "./block-id";
import { pickedLocationFields } from "./input";
import { moveUser } from "../auth";
import type { MoveResult } from "./moves";
import { findPlace, placeColumns, toPlace, type Place } from "./places";
import { townForPick, type PickedLocation } from "./resolve";
import { blockIds, countries, regions, towns, type LocationSource } from "./schema";

// ---- Input ----

/** An empty box in a GET form arrives as "", which means "not given". */
const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** User ids are random base32 (lib/crypto newId); anything outside this cannot name a user. */
export const userIdInput = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "That is not a user id.");

export const blockIdValueInput = z.string().regex(BLOCK_ID_PATTERN, "A Block ID looks like 44-001-001-000001.");

const CURSOR_MESSAGE = "That page link is damaged; start from the first page.";

// A cursor is the last row's sort key (a time and an id), base64url-encoded JSON: opaque to
// clients, and it stays valid when rows are added before it.
export function encodeCursor(at: number, id: string): string {
  return encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify([at, id])));
}

function decodeCursor(text: string): { at: number; id: string } | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(decodeBase64urlIgnorePadding(text)));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, id] = value as unknown[];
    if (typeof at !== "number" || !Number.isSafeInteger(at) || typeof id !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return null;
    return { at, id };
  } catch {
    return null;
  }
}

const cursorInput = z.preprocess(
  blankToUndefined,
  z
    .string()
    .max(200, CURSOR_MESSAGE)
    .transform((text, ctx) => {
      const cursor = decodeCursor(text);
      if (cursor) return cursor;
      ctx.addIssue({ code: "custom", message: CURSOR_MESSAGE, input: text });
      return z.NEVER;
    })
    .optional(),
);

const limitInput = (fallback: number) => {
  const message = "Show 1 to 100 rows per page.";
  return z.preprocess(
    blankToUndefined,
    z.string().regex(/^\d{1,3}$/, message).transform(Number).pipe(z.number().int().min(1, message).max(100, message)).default(fallback),
  );
};

export const USERS_PER_PAGE = 20;
export const EVENTS_PER_PAGE = 25;

export const blockIdSearchInput = z.object({
  q: z.string().trim().max(200, "Search with at most 200 characters.").default(""),
  limit: limitInput(USERS_PER_PAGE),
  cursor: cursorInput,
});
export type BlockIdSearch = z.infer<typeof blockIdSearchInput>;

export const eventPageInput = z.object({ limit: limitInput(EVENTS_PER_PAGE), cursor: cursorInput });
export type EventPage = z.infer<typeof eventPageInput>;

/** Where to move a user: the same optional country / region / town fields as a registration. */
export const moveInput = z.object(pickedLocationFields);

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

const userColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  createdAt: users.createdAt,
  blockId: blockIds.value,
  source: blockIds.source,
  issuedAt: blockIds.issuedAt,
  ...placeColumns,
};

function selectUsers(db: Db) {
  return db
    .select(userColumns)
    .from(users)
    .leftJoin(blockIds, and(eq(blockIds.userId, users.id), isNull(blockIds.retiredAt)))
    .leftJoin(towns, eq(towns.id, blockIds.townId))
    .leftJoin(regions, eq(regions.id, towns.regionId))
    .leftJoin(countries, eq(countries.id, regions.countryId));
}

type UserRow = Awaited<ReturnType<typeof selectUsers>>[number];

function toBlockIdUser(row: UserRow): BlockIdUser {
  // Left joins: the place columns are all null when the user has no current number.
  const place = row.townId ? toPlace(row as Parameters<typeof toPlace>[0]) : null;
  return { id: row.id, name: row.name, email: row.email, createdAt: row.createdAt, blockId: row.blockId, source: row.source, issuedAt: row.issuedAt, place };
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
  const rows = await selectUsers(db)
    .where(
      and(
        query.q ? userMatch(query.q) : undefined,
        after ? or(lt(users.createdAt, after.at), and(eq(users.createdAt, after.at), lt(users.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit).map(toBlockIdUser);
  const last = page[page.length - 1];
  return { users: page, nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

export async function findBlockIdUser(db: Db, userId: string): Promise<BlockIdUser | null> {
  const [row] = await selectUsers(db).where(eq(users.id, userId)).limit(1);
  return row ? toBlockIdUser(row) : null;
}

// ---- Audit trails ----

export type AuditEventItem = AuditListItem;

/** Audit events matching any of `matches`, newest first, paged by a cursor on (at, id). */
async function auditPage(db: Db, matches: AuditMatch[], page: EventPage): Promise<{ events: AuditEventItem[]; nextCursor: string | null }> {
  const { rows, hasMore } = await auditListPage(db, matches, page.cursor, page.limit);
  const last = rows[rows.length - 1];
  return { events: rows, nextCursor: hasMore && last ? encodeCursor(last.at, last.id) : null };
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
  const numbers = await db.select({ value: blockIds.value }).from(blockIds).where(eq(blockIds.userId, userId));
  return auditPage(
    db,
    [
      { targetType: "user", targetId: userId },
      { targetType: "block_id", targetIds: numbers.map((n) => n.value) },
      { actorUserId: userId },
    ],
    page,
  );
}

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
  const [row] = await db
    .select({
      value: blockIds.value,
      userId: blockIds.userId,
      userName: users.name,
      userEmail: users.email,
      townId: blockIds.townId,
      issuedAt: blockIds.issuedAt,
      retiredAt: blockIds.retiredAt,
      source: blockIds.source,
    })
    .from(blockIds)
    .innerJoin(users, eq(users.id, blockIds.userId))
    .where(eq(blockIds.value, value))
    .limit(1);
  if (!row) return null;
  const { townId, ...rest } = row;
  return { ...rest, place: await findPlace(db, townId) };
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

// ---- JSON shapes ----

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const userJson = (user: BlockIdUser) => ({
  id: user.id,
  name: user.name,
  email: user.email,
  blockId: user.blockId,
  source: user.source,
  issuedAt: iso(user.issuedAt),
  place: user.place,
});

export const eventJson = (event: AuditEventItem) => ({ ...event, at: iso(event.at) });

export const blockIdJson = (record: BlockIdRecord) => ({
  value: record.value,
  userId: record.userId,
  issuedAt: iso(record.issuedAt),
  retiredAt: iso(record.retiredAt),
  source: record.source,
  place: record.place,
});
