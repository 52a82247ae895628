import { and, eq, inArray, max, ne, sql } from "drizzle-orm";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import { randomToken, sha256Hex } from "../../lib/crypto";
import type { Deps } from "../../deps";
import type { RequestMeta, RequestSession } from "../../http/types";
import { sessions, users, type SessionRow } from "./schema";
import { toPublicUser, type PublicUser } from "./users";

/** Sessions are touched at most this often, so a busy client does not write on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export type SessionInfo = RequestSession;

export interface NewSession {
  /** The bearer token: 160 random bits. Shown once; only its SHA-256 is stored. */
  token: string;
  session: SessionInfo;
}

type SessionDeps = Pick<Deps, "config" | "now">;

type DescribedRow = Pick<SessionRow, "id" | "publicId" | "createdAt" | "lastSeenAt" | "expiresAt" | "authenticatedAt" | "signInMethod" | "secondFactor">;

function describe(deps: SessionDeps, row: DescribedRow): SessionInfo {
  return {
    id: row.id,
    publicId: row.publicId,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    expiresAt: row.expiresAt,
    idleExpiresAt: Math.min(row.expiresAt, row.lastSeenAt + deps.config.SESSION_IDLE_TIMEOUT_SECONDS * 1000),
    authenticatedAt: row.authenticatedAt,
    signInMethod: row.signInMethod,
    secondFactor: row.secondFactor,
  };
}

/** How the user proved who they are when a session opens. */
export interface SignInProof {
  /** "password", "passkey", or the provider ("github", "google", "microsoft"). */
  method: string;
  /** The second factor proved as well ("totp", "recovery", "passkey"), if any. */
  secondFactor?: string | null;
}

export async function createSession(deps: SessionDeps, db: Db | Tx, userId: string, meta: RequestMeta, proof: SignInProof): Promise<NewSession> {
  const token = randomToken(20);
  const now = deps.now();
  const row: SessionRow = {
    id: sha256Hex(token),
    publicId: randomToken(10),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + deps.config.SESSION_MAX_AGE_SECONDS * 1000,
    userAgent: meta.userAgent.slice(0, 512),
    ipAddress: meta.ipAddress,
    authenticatedAt: now,
    signInMethod: proof.method,
    secondFactor: proof.secondFactor ?? null,
  };
  await db.insert(sessions).values(row);
  return { token, session: describe(deps, row) };
}

// Every authenticated request runs this lookup, so it is prepared once per database, and it asks
// SQLite for one JSON column: @libsql/client's cost grows with each column it hands back (measured
// 65 µs for the joined rows, 22 µs as one JSON value; see docs/performance.md).
const lookups = new WeakMap<Db, ReturnType<typeof prepareLookup>>();
function prepareLookup(db: Db) {
  const row = sql<string>`json_object(
    'publicId', ${sessions.publicId}, 'createdAt', ${sessions.createdAt},
    'lastSeenAt', ${sessions.lastSeenAt}, 'expiresAt', ${sessions.expiresAt},
    'authenticatedAt', ${sessions.authenticatedAt}, 'signInMethod', ${sessions.signInMethod},
    'secondFactor', ${sessions.secondFactor},
    'userId', ${users.id}, 'email', ${users.email}, 'name', ${users.name},
    'emailVerified', ${users.emailVerified}, 'isPlatformAdmin', ${users.isPlatformAdmin},
    'disabledAt', ${users.disabledAt}, 'blockId', ${users.blockId}, 'userCreatedAt', ${users.createdAt})`;
  return db
    .select({ row })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder("id")))
    .limit(1)
    .prepare();
}

interface LookupRow {
  publicId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  authenticatedAt: number;
  signInMethod: string;
  secondFactor: string | null;
  userId: string;
  email: string;
  name: string;
  emailVerified: 0 | 1;
  isPlatformAdmin: 0 | 1;
  disabledAt: number | null;
  blockId: string | null;
  userCreatedAt: number;
}

/** The signed-in user for a token, or null when the token is unknown, expired, idle too long or the user is disabled. */
export async function validateSessionToken(
  deps: Pick<Deps, "config" | "now" | "db">,
  token: string,
): Promise<{ user: PublicUser; session: SessionInfo } | null> {
  if (token.length < 16 || token.length > 128) return null;
  const id = sha256Hex(token);
  let lookup = lookups.get(deps.db);
  if (!lookup) lookups.set(deps.db, (lookup = prepareLookup(deps.db)));
  const [found] = await lookup.all({ id });
  const row = found ? (JSON.parse(found.row) as LookupRow) : null;
  if (!row) return null;
  const now = deps.now();
  const info = describe(deps, { ...row, id });
  if (now >= info.idleExpiresAt || row.disabledAt !== null) {
    await writeTransaction(deps.db, (tx) => tx.delete(sessions).where(eq(sessions.id, id)));
    return null;
  }
  if (now - row.lastSeenAt >= TOUCH_INTERVAL_MS) {
    // Through the write queue: a direct write beside a queued transaction waits on SQLite's lock synchronously.
    await writeTransaction(deps.db, (tx) => tx.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id)));
    info.lastSeenAt = now;
    info.idleExpiresAt = Math.min(info.expiresAt, now + deps.config.SESSION_IDLE_TIMEOUT_SECONDS * 1000);
  }
  const user = {
    id: row.userId,
    email: row.email,
    name: row.name,
    emailVerified: row.emailVerified === 1,
    isPlatformAdmin: row.isPlatformAdmin === 1,
    blockId: row.blockId,
    createdAt: row.userCreatedAt,
  };
  return { user: toPublicUser(user), session: info };
}

export interface SessionListItem {
  publicId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  userAgent: string;
  ipAddress: string;
  current: boolean;
}

export async function listSessions(deps: SessionDeps & { db: Db }, userId: string, currentId: string | null) {
  const rows = await deps.db.select().from(sessions).where(eq(sessions.userId, userId)).orderBy(sessions.lastSeenAt);
  const now = deps.now();
  return rows
    .map((row) => ({ row, info: describe(deps, row) }))
    .filter(({ info }) => now < info.idleExpiresAt)
    .reverse()
    // This browser first, then the most recently active.
    .sort((a, b) => Number(b.row.id === currentId) - Number(a.row.id === currentId))
    .map(({ row, info }): SessionListItem => ({
      publicId: row.publicId,
      createdAt: row.createdAt,
      lastSeenAt: row.lastSeenAt,
      expiresAt: info.idleExpiresAt,
      userAgent: row.userAgent,
      ipAddress: row.ipAddress,
      current: row.id === currentId,
    }));
}

/** Deletes one of the user's own sessions by its public id; false when there is none. */
export async function deleteSessionOf(db: Db | Tx, userId: string, publicId: string): Promise<SessionRow | null> {
  const [row] = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.publicId, publicId)))
    .returning();
  return row ?? null;
}

/** The user has just proved who they are again (a re-authentication prompt) in this session. */
export async function markReauthenticated(db: Db | Tx, sessionId: string, now: number): Promise<void> {
  await db.update(sessions).set({ authenticatedAt: now }).where(eq(sessions.id, sessionId));
}

export async function deleteSession(db: Db | Tx, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function deleteAllSessionsOf(db: Db | Tx, userId: string, except?: string): Promise<number> {
  const where = except ? and(eq(sessions.userId, userId), ne(sessions.id, except)) : eq(sessions.userId, userId);
  const rows = await db.delete(sessions).where(where).returning({ id: sessions.id });
  return rows.length;
}

/**
 * When each of these users was last seen in any session (the newest lastSeenAt; sessions are
 * touched at most once a minute). Users with no session are left out of the map.
 */
export async function lastSeenAt(db: Db | Tx, userIds: readonly string[]): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  // Chunks keep each statement under SQLite's bound-parameter limit.
  for (let i = 0; i < userIds.length; i += 500) {
    const chunk = userIds.slice(i, i + 500);
    const rows = await db.select({ userId: sessions.userId, at: max(sessions.lastSeenAt) }).from(sessions).where(inArray(sessions.userId, chunk)).groupBy(sessions.userId);
    // Over HTTP (sqld, Turso) an aggregate may come back as a string.
    for (const row of rows) if (row.at != null) seen.set(row.userId, Number(row.at));
  }
  return seen;
}
