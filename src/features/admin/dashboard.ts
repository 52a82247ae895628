import { and, count, gte, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/types";
import type { Deps } from "../../deps";
import { withTimeout } from "../../lib/timeout";
import { users } from "../auth";
import { countHouseholds } from "../households";
import { countBusinesses } from "../workspace";
import { searchAudit, type AuditListItem } from "./audit-log";
import { DAY_MS } from "./input";

export const SIGNUP_DAYS = 30;
const DB_CHECK_TIMEOUT_MS = 1000;

export interface DayCount {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  count: number;
}

export interface Dashboard {
  counts: { users: number; businesses: number; households: number };
  signups: DayCount[];
  database: "ok" | "unreachable";
  recent: AuditListItem[];
}

/** Accounts created on each of the last `days` UTC days, today last; days without any count 0. */
export async function signupsPerDay(db: Db, now: number, days = SIGNUP_DAYS): Promise<DayCount[]> {
  const today = Math.floor(now / DAY_MS);
  const first = today - days + 1;
  // A literal divisor: a bound JS number may arrive as REAL and turn this into a fraction.
  const dayOf = sql<number>`${users.createdAt} / ${sql.raw(String(DAY_MS))}`;
  const rows = await db
    .select({ day: dayOf, n: count() })
    .from(users)
    .where(and(gte(users.createdAt, first * DAY_MS), lt(users.createdAt, (today + 1) * DAY_MS)))
    .groupBy(dayOf);
  const byDay = new Map(rows.map((row) => [Number(row.day), row.n]));
  return Array.from({ length: days }, (_, i) => ({
    day: new Date((first + i) * DAY_MS).toISOString().slice(0, 10),
    count: byDay.get(first + i) ?? 0,
  }));
}

/** `select 1` within a short time: a hung or lost database shows as unreachable, not as a slow page. */
export async function checkDatabase(db: Pick<Db, "run">, timeoutMs = DB_CHECK_TIMEOUT_MS): Promise<"ok" | "unreachable"> {
  try {
    await withTimeout(db.run(sql`select 1`), timeoutMs);
    return "ok";
  } catch {
    return "unreachable";
  }
}

async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function loadDashboard(deps: Deps): Promise<Dashboard> {
  const database = await checkDatabase(deps.db);
  if (database !== "ok") {
    deps.log({ level: "error", msg: "admin dashboard: database unreachable" });
    return { counts: { users: 0, businesses: 0, households: 0 }, signups: [], database, recent: [] };
  }
  const [userCount, businessCount, householdCount, signups, recent] = await Promise.all([
    countUsers(deps.db),
    countBusinesses(deps),
    countHouseholds(deps),
    signupsPerDay(deps.db, deps.now()),
    searchAudit(deps.db, { limit: 10 }),
  ]);
  return {
    counts: { users: userCount, businesses: businessCount, households: householdCount },
    signups,
    database,
    recent: recent.rows,
  };
}
