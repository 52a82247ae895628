// The businesses a person is the last owner of: their account cannot be deleted while there are any
// (features/erasure), since a business must keep an owner.
import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../../db/types";
import { businesses, businessMembers } from "./schema";

export async function businessesSolelyOwnedBy(db: Db | Tx, userId: string): Promise<Array<{ id: string; name: string }>> {
  return db
    .select({ id: businesses.id, name: businesses.name })
    .from(businessMembers)
    .innerJoin(businesses, eq(businesses.id, businessMembers.businessId))
    .where(
      and(
        eq(businessMembers.userId, userId),
        eq(businessMembers.role, "owner"),
        sql`(select count(*) from ${businessMembers} as others where others.business_id = ${businessMembers.businessId} and others.role = 'owner') = 1`,
      ),
    )
    .orderBy(businesses.name);
}
