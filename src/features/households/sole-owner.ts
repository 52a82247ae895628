// The households a person is the last owner of: their account cannot be deleted while there are any
// (features/erasure), since a household must keep an owner.
import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../../db/types";
import { householdMembers, households } from "./schema";

export async function householdsSolelyOwnedBy(db: Db | Tx, userId: string): Promise<Array<{ id: string; name: string }>> {
  return db
    .select({ id: households.id, name: households.name })
    .from(householdMembers)
    .innerJoin(households, eq(households.id, householdMembers.householdId))
    .where(
      and(
        eq(householdMembers.userId, userId),
        eq(householdMembers.role, "owner"),
        sql`(select count(*) from ${householdMembers} as others where others.household_id = ${householdMembers.householdId} and others.role = 'owner') = 1`,
      ),
    )
    .orderBy(households.name);
}
