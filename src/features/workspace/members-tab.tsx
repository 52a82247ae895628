import { asc, eq } from "drizzle-orm";
import { users } from "../auth";
import { businessMembers } from "./schema";
import type { TabRenderer } from "./tab-content";

/** The members tab: who belongs to the business, with their role. */
export const membersTab: TabRenderer = async (c, { business }) => {
  const rows = await c.var.deps.db
    .select({ name: users.name, email: users.email, role: businessMembers.role })
    .from(businessMembers)
    .innerJoin(users, eq(users.id, businessMembers.userId))
    .where(eq(businessMembers.businessId, business.id))
    .orderBy(asc(users.name));
  return (
    <ul class="member-list">
      {rows.map((row) => (
        <li>
          {row.name} · {row.email} · {row.role}
        </li>
      ))}
    </ul>
  );
};
