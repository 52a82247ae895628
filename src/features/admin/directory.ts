import { asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/types";
import { users } from "../auth";
// Read-only admin views straight over the workspace tables: the workspace feature's own services
// are scoped to a member, and the portal looks across every business.
import { businesses, businessMembers, departments, positions, type BusinessKind, type BusinessRole } from "../workspace/schema";
import type { ListQuery } from "./input";
import { textMatch } from "./service";

export const BUSINESSES_PER_PAGE = 20;

export interface AdminBusiness {
  id: string;
  name: string;
  kind: BusinessKind;
  members: number;
  createdAt: number;
}

export interface AdminBusinessMember {
  userId: string;
  name: string;
  email: string;
  role: BusinessRole;
  department: string | null;
  position: string | null;
  joinedAt: number;
}

export interface AdminBusinessDetail {
  id: string;
  name: string;
  kind: BusinessKind;
  description: string;
  createdAt: number;
  members: AdminBusinessMember[];
}

export async function searchBusinesses(db: Db, query: ListQuery): Promise<{ rows: AdminBusiness[]; hasMore: boolean }> {
  const members = sql<number>`(select count(*) from ${businessMembers} where ${businessMembers.businessId} = ${businesses.id})`;
  const rows = await db
    .select({ id: businesses.id, name: businesses.name, kind: businesses.kind, members, createdAt: businesses.createdAt })
    .from(businesses)
    .where(query.q ? textMatch(businesses.name, query.q) : undefined)
    .orderBy(desc(businesses.createdAt), desc(businesses.id))
    .limit(BUSINESSES_PER_PAGE + 1)
    .offset((query.page - 1) * BUSINESSES_PER_PAGE);
  return { rows: rows.slice(0, BUSINESSES_PER_PAGE), hasMore: rows.length > BUSINESSES_PER_PAGE };
}

const ROLE_ORDER = sql`case ${businessMembers.role} when 'owner' then 0 when 'admin' then 1 when 'manager' then 2 else 3 end`;

export async function findBusiness(db: Db, id: string): Promise<AdminBusinessDetail | null> {
  const [business] = await db
    .select({ id: businesses.id, name: businesses.name, kind: businesses.kind, description: businesses.description, createdAt: businesses.createdAt })
    .from(businesses)
    .where(eq(businesses.id, id))
    .limit(1);
  if (!business) return null;
  const members = await db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: businessMembers.role,
      department: departments.name,
      position: positions.name,
      joinedAt: businessMembers.joinedAt,
    })
    .from(businessMembers)
    .innerJoin(users, eq(users.id, businessMembers.userId))
    .leftJoin(departments, eq(departments.id, businessMembers.departmentId))
    .leftJoin(positions, eq(positions.id, businessMembers.positionId))
    .where(eq(businessMembers.businessId, id))
    .orderBy(ROLE_ORDER, asc(users.name));
  return { ...business, members };
}
