// The admin portal's business directory: every business, asked of the workspace feature's service
// API (the portal looks across every business; requirePlatformAdmin guards the routes).
import type { Db } from "../../db/types";
import { fetchLimit, pageOf, pageOffset, type Page } from "../../lib/pager";
import { businessDirectory, businessWithMembers, type BusinessKind, type BusinessRole } from "../workspace";
import type { ListQuery } from "./input";

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

export async function searchBusinesses(db: Db, query: ListQuery): Promise<Page<AdminBusiness>> {
  const rows = await businessDirectory({ db }, { q: query.q, limit: fetchLimit(BUSINESSES_PER_PAGE), offset: pageOffset(query.page, BUSINESSES_PER_PAGE) });
  return pageOf(rows, BUSINESSES_PER_PAGE);
}

export async function findBusiness(db: Db, id: string): Promise<AdminBusinessDetail | null> {
  const business = await businessWithMembers({ db }, id);
  if (!business) return null;
  const members = business.members.map((member) => ({
    userId: member.userId,
    name: member.name,
    email: member.email,
    role: member.role,
    department: member.department?.name ?? null,
    position: member.position?.name ?? null,
    joinedAt: Date.parse(member.joinedAt),
  }));
  return { ...business, members };
}
