import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db, Tx } from "../../db/types";
import { newId } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { accessChanged } from "../realtime";
import { householdMembers, households, type HouseholdMemberRow, type HouseholdRole, type HouseholdRow } from "./schema";

export interface HouseholdSummary {
  id: string;
  name: string;
  role: HouseholdRole;
  createdAt: string;
}

const toSummary = (household: HouseholdRow, role: HouseholdRole): HouseholdSummary => ({
  id: household.id,
  name: household.name,
  role,
  createdAt: new Date(household.createdAt).toISOString(),
});

export async function createHousehold(deps: Deps, userId: string, name: string, meta: RequestMeta): Promise<HouseholdSummary> {
  return writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const household: HouseholdRow = { id: newId(), name, createdBy: userId, createdAt: now, updatedAt: now };
    await tx.insert(households).values(household);
    await tx.insert(householdMembers).values({ householdId: household.id, userId, role: "owner", joinedAt: now });
    await accessChanged(tx, deps, [userId]);
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "household.create", targetType: "household", targetId: household.id, details: { name } });
    return toSummary(household, "owner");
  });
}

/** The ids of the households a user belongs to (their live streams' household channels). */
export async function householdIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.select({ id: householdMembers.householdId }).from(householdMembers).where(eq(householdMembers.userId, userId));
  return rows.map((row) => row.id);
}

const mine = alias(householdMembers, "mine");

/** Which of `others` belong to a household `userId` belongs to as well (one query). */
export async function householdCoMembers(db: Db, userId: string, others: readonly string[]): Promise<Set<string>> {
  if (others.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ id: householdMembers.userId })
    .from(householdMembers)
    .innerJoin(mine, and(eq(mine.householdId, householdMembers.householdId), eq(mine.userId, userId)))
    .where(inArray(householdMembers.userId, [...others]));
  return new Set(rows.map((row) => row.id));
}

export async function listHouseholdsOf(deps: Pick<Deps, "db">, userId: string): Promise<HouseholdSummary[]> {
  const rows = await deps.db
    .select({ household: households, role: householdMembers.role })
    .from(householdMembers)
    .innerJoin(households, eq(households.id, householdMembers.householdId))
    .where(eq(householdMembers.userId, userId))
    .orderBy(asc(households.name));
  return rows.map((row) => toSummary(row.household, row.role));
}

export interface HouseholdMembership {
  household: HouseholdRow;
  member: HouseholdMemberRow;
}

/** The caller's membership; a household they are not in answers 404, like one that does not exist. */
export async function requireHouseholdMembership(db: Deps["db"], userId: string, householdId: string): Promise<HouseholdMembership> {
  const [row] = await db
    .select({ household: households, member: householdMembers })
    .from(householdMembers)
    .innerJoin(households, eq(households.id, householdMembers.householdId))
    .where(and(eq(householdMembers.householdId, householdId), eq(householdMembers.userId, userId)))
    .limit(1);
  if (!row) throw new AppError(404, "not_found", "There is no such household, or you are not a member of it.");
  return row;
}

export interface HouseholdMemberView {
  userId: string;
  name: string;
  email: string;
  role: HouseholdRole;
  joinedAt: string;
  blockId: string | null;
}

export async function householdMemberCount(deps: Pick<Deps, "db">, householdId: string): Promise<number> {
  const rows = await deps.db.select({ userId: householdMembers.userId }).from(householdMembers).where(eq(householdMembers.householdId, householdId));
  return rows.length;
}

/** How many households there are (the admin dashboard). */
export async function countHouseholds(deps: Pick<Deps, "db">): Promise<number> {
  const [row] = await deps.db.select({ n: count() }).from(households);
  return row?.n ?? 0;
}

/** The names of these households, by id (one statement; none for no ids). `db` may be a transaction. */
export async function householdNames(db: Db | Tx, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db.select({ id: households.id, name: households.name }).from(households).where(inArray(households.id, unique));
  return new Map(rows.map((row) => [row.id, row.name]));
}
