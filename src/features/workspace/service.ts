import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Deps } from "../../deps";
import type { Db } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { accessChanged } from "../realtime";
import { requireMembership, requireRole } from "./access";
import type { CreateBusinessInput } from "./input";
import { businesses, businessMembers, departments, positions, type BusinessRole, type BusinessRow } from "./schema";

export interface BusinessSummary {
  id: string;
  name: string;
  kind: BusinessRow["kind"];
  description: string;
  hasLogo: boolean;
  role: BusinessRole;
  createdAt: string;
}

export function toBusinessSummary(business: Pick<BusinessRow, "id" | "name" | "kind" | "description" | "logoKey" | "createdAt">, role: BusinessRole): BusinessSummary {
  return {
    id: business.id,
    name: business.name,
    kind: business.kind,
    description: business.description,
    hasLogo: business.logoKey !== null,
    role,
    createdAt: new Date(business.createdAt).toISOString(),
  };
}

/** Creates a business with the caller as its owner. */
export async function createBusiness(deps: Deps, userId: string, input: CreateBusinessInput, meta: RequestMeta): Promise<BusinessSummary> {
  return writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const business: BusinessRow = {
      id: newId(),
      name: input.name,
      kind: input.kind,
      description: input.description,
      logoKey: null,
      logoContentType: null,
      requireTwoFactor: false,
      createdBy: userId,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(businesses).values(business);
    await tx.insert(businessMembers).values({ businessId: business.id, userId, role: "owner", joinedAt: now });
    await accessChanged(tx, deps, [userId]);
    await recordAudit(tx, now, meta, {
      actorUserId: userId,
      action: "business.create",
      targetType: "business",
      targetId: business.id,
      details: { name: business.name, kind: business.kind },
    });
    return toBusinessSummary(business, "owner");
  });
}

/** The businesses the user belongs to, by name. */
/** The ids of the businesses a user belongs to (their live streams' business channels). */
export async function businessIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.select({ id: businessMembers.businessId }).from(businessMembers).where(eq(businessMembers.userId, userId));
  return rows.map((row) => row.id);
}

const mine = alias(businessMembers, "mine");

/** Which of `others` belong to a business `userId` belongs to as well (one query; `others` up to a few hundred). */
export async function businessCoMembers(db: Db, userId: string, others: readonly string[]): Promise<Set<string>> {
  if (others.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ id: businessMembers.userId })
    .from(businessMembers)
    .innerJoin(mine, and(eq(mine.businessId, businessMembers.businessId), eq(mine.userId, userId)))
    .where(inArray(businessMembers.userId, [...others]));
  return new Set(rows.map((row) => row.id));
}

export async function listBusinessesOf(deps: Pick<Deps, "db">, userId: string): Promise<BusinessSummary[]> {
  const rows = await deps.db
    .select({ business: businesses, role: businessMembers.role })
    .from(businessMembers)
    .innerJoin(businesses, eq(businesses.id, businessMembers.businessId))
    .where(eq(businessMembers.userId, userId))
    .orderBy(asc(businesses.name));
  return rows.map((row) => toBusinessSummary(row.business, row.role));
}

export async function getBusiness(deps: Pick<Deps, "db">, userId: string, businessId: string): Promise<BusinessSummary> {
  const { business, member } = await requireMembership(deps.db, userId, businessId);
  return toBusinessSummary(business, member.role);
}

export async function updateBusiness(
  deps: Deps,
  userId: string,
  businessId: string,
  input: { name: string; description: string },
  meta: RequestMeta,
): Promise<BusinessSummary> {
  const membership = requireRole(await requireMembership(deps.db, userId, businessId), "admin", "change the business settings");
  return writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const [row] = await tx
      .update(businesses)
      .set({ name: input.name, description: input.description, updatedAt: now })
      .where(eq(businesses.id, businessId))
      .returning();
    await recordAudit(tx, now, meta, {
      actorUserId: userId,
      action: "business.update",
      targetType: "business",
      targetId: businessId,
      details: {
        before: { name: membership.business.name, description: membership.business.description },
        after: { name: input.name, description: input.description },
      },
    });
    return toBusinessSummary(row!, membership.member.role);
  });
}

/**
 * Owners decide whether every member must sign in with two factors. An owner can only turn it on
 * from a session that proved a second factor itself, so nobody locks themselves out by it.
 */
export async function setRequireTwoFactor(deps: Deps, userId: string, businessId: string, required: boolean, sessionSecondFactor: string | null, meta: RequestMeta): Promise<void> {
  const membership = requireRole(await requireMembership(deps.db, userId, businessId), "owner", "decide whether members must use two factors");
  if (required && sessionSecondFactor === null) {
    throw new AppError(409, "two_factor_needed_first", "Turn on two-factor sign-in for yourself first (and sign in with it), then require it of everyone.");
  }
  if (Boolean(membership.business.requireTwoFactor) === required) return;
  await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    await tx.update(businesses).set({ requireTwoFactor: required, updatedAt: now }).where(eq(businesses.id, businessId));
    await recordAudit(tx, now, meta, { actorUserId: userId, action: "business.require_two_factor", targetType: "business", targetId: businessId, details: { before: Boolean(membership.business.requireTwoFactor), after: required } });
  });
}

/** Members, departments and positions at a glance, for the dashboard card. */
export async function businessCounts(deps: Pick<Deps, "db">, businessId: string) {
  let query = countQueries.get(deps.db);
  if (!query) countQueries.set(deps.db, (query = prepareCounts(deps.db)));
  const [row] = await query.all({ businessId });
  return JSON.parse(row!.counts) as { members: number; departments: number; positions: number };
}

// /home asks this once per business card: one prepared statement, one JSON value (docs/performance.md).
const countQueries = new WeakMap<Db, ReturnType<typeof prepareCounts>>();
function prepareCounts(db: Db) {
  const id = sql.placeholder("businessId");
  return db
    .select({
      counts: sql<string>`json_object(
        'members', (select count(*) from ${businessMembers} where ${businessMembers.businessId} = ${id}),
        'departments', (select count(*) from ${departments} where ${departments.businessId} = ${id}),
        'positions', (select count(*) from ${positions} where ${positions.businessId} = ${id}))`,
    })
    .from(sql`(select 1)`)
    .prepare();
}

export type UnitKind = "department" | "position";
const unitTable = (kind: UnitKind) => (kind === "department" ? departments : positions);

export interface Unit {
  id: string;
  name: string;
}

export async function listUnits(deps: Pick<Deps, "db">, businessId: string, kind: UnitKind): Promise<Unit[]> {
  const table = unitTable(kind);
  return deps.db.select({ id: table.id, name: table.name }).from(table).where(eq(table.businessId, businessId)).orderBy(asc(table.name));
}

/** Adds a department or position (admins only); a duplicate name is a 409 on the name field. */
export async function createUnit(deps: Deps, userId: string, businessId: string, kind: UnitKind, name: string, meta: RequestMeta): Promise<Unit> {
  requireRole(await requireMembership(deps.db, userId, businessId), "admin", `manage ${kind}s`);
  const table = unitTable(kind);
  try {
    return await writeTransaction(deps.db, async (tx) => {
      const now = deps.now();
      const unit = { id: newId(), businessId, name, createdAt: now };
      await tx.insert(table).values(unit);
      await recordAudit(tx, now, meta, { actorUserId: userId, action: `business.${kind}_create`, targetType: "business", targetId: businessId, details: { id: unit.id, name } });
      return { id: unit.id, name };
    });
  } catch (error) {
    if (String((error as { cause?: unknown }).cause ?? error).includes("UNIQUE")) {
      throw new AppError(409, "name_taken", `A ${kind} with this name already exists.`, { fieldErrors: { name: [`A ${kind} with this name already exists.`] } });
    }
    throw error;
  }
}

export async function deleteUnit(deps: Deps, userId: string, businessId: string, kind: UnitKind, unitId: string, meta: RequestMeta): Promise<void> {
  requireRole(await requireMembership(deps.db, userId, businessId), "admin", `manage ${kind}s`);
  const table = unitTable(kind);
  await writeTransaction(deps.db, async (tx) => {
    const [removed] = await tx.delete(table).where(and(eq(table.id, unitId), eq(table.businessId, businessId))).returning();
    if (!removed) throw new AppError(404, "not_found", `There is no such ${kind} in this business.`);
    await recordAudit(tx, deps.now(), meta, { actorUserId: userId, action: `business.${kind}_delete`, targetType: "business", targetId: businessId, details: { id: unitId, name: removed.name } });
  });
}

/** Renames a department or position (admins only); a duplicate name is a 409 on the name field. */
export async function renameUnit(deps: Deps, userId: string, businessId: string, kind: UnitKind, unitId: string, name: string, meta: RequestMeta): Promise<Unit> {
  requireRole(await requireMembership(deps.db, userId, businessId), "admin", `manage ${kind}s`);
  const table = unitTable(kind);
  try {
    return await writeTransaction(deps.db, async (tx) => {
      const [before] = await tx.select({ name: table.name }).from(table).where(and(eq(table.id, unitId), eq(table.businessId, businessId)));
      if (!before) throw new AppError(404, "not_found", `There is no such ${kind} in this business.`);
      await tx.update(table).set({ name }).where(and(eq(table.id, unitId), eq(table.businessId, businessId)));
      await recordAudit(tx, deps.now(), meta, { actorUserId: userId, action: `business.${kind}_rename`, targetType: "business", targetId: businessId, details: { id: unitId, before: { name: before.name }, after: { name } } });
      return { id: unitId, name };
    });
  } catch (error) {
    if (String((error as { cause?: unknown }).cause ?? error).includes("UNIQUE")) {
      throw new AppError(409, "name_taken", `A ${kind} with this name already exists.`, { fieldErrors: { name: [`A ${kind} with this name already exists.`] } });
    }
    throw error;
  }
}

export interface BusinessOverview {
  counts: { members: number; departments: number; positions: number };
  /** Members per role, for every role that has any. */
  roles: Partial<Record<BusinessRole, number>>;
  /** Departments (classes, in an institution) by name, with their member counts. */
  departments: { id: string; name: string; members: number }[];
  /** Members in no department. */
  unassigned: number;
}

// The overview tab asks all of this on every open, so it is one prepared statement returning one
// JSON value: the positions count, the departments, and the members counted by (role, department),
// which the counts, the roles and the departments' members are summed from here. Few and plain
// subqueries, because the driver prepares the statement afresh on every call and that cost grows
// with the SQL (docs/performance.md). Lists keep the order of their ordered subquery (SQLite does not
// flatten an ordered subquery into an aggregate); sqld cannot parse json_group_array(… order by …).
const overviews = new WeakMap<Db, ReturnType<typeof prepareOverview>>();
function prepareOverview(db: Db) {
  const id = sql.placeholder("businessId");
  const m = businessMembers;
  const d = departments;
  return db
    .select({
      overview: sql<string>`json_object(
        'positions', (select count(*) from ${positions} where ${positions.businessId} = ${id}),
        'departments', (select json_group_array(json_array(id, name)) from
          (select ${d.id} as id, ${d.name} as name from ${d} where ${d.businessId} = ${id} order by ${d.name})),
        'groups', (select json_group_array(json_array(role, department, n)) from
          (select ${m.role} as role, ${m.departmentId} as department, count(*) as n from ${m} where ${m.businessId} = ${id} group by ${m.role}, ${m.departmentId})))`,
    })
    .from(sql`(select 1)`)
    .prepare();
}

interface OverviewRow {
  positions: number;
  departments: [id: string, name: string][];
  groups: [role: BusinessRole, departmentId: string | null, members: number][];
}

export async function businessOverview(deps: Pick<Deps, "db">, businessId: string): Promise<BusinessOverview> {
  let query = overviews.get(deps.db);
  if (!query) overviews.set(deps.db, (query = prepareOverview(deps.db)));
  const [row] = await query.all({ businessId });
  const raw = JSON.parse(row!.overview) as OverviewRow;
  let members = 0;
  let unassigned = 0;
  const roles: BusinessOverview["roles"] = {};
  const byDepartment = new Map<string, number>();
  for (const [role, departmentId, n] of raw.groups) {
    members += n;
    roles[role] = (roles[role] ?? 0) + n;
    if (departmentId === null) unassigned += n;
    else byDepartment.set(departmentId, (byDepartment.get(departmentId) ?? 0) + n);
  }
  return {
    counts: { members, departments: raw.departments.length, positions: raw.positions },
    roles,
    departments: raw.departments.map(([id, name]) => ({ id, name, members: byDepartment.get(id) ?? 0 })),
    unassigned,
  };
}
