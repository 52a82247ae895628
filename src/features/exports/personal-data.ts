// The exports' personal data: the person's own export requests (the archives themselves are
// copies of what the other features hold). Erasure deletes the rows and their archives; where the
// person was the admin who started someone else's export, the request keeps no trace of them.
import { eq } from "drizzle-orm";
import { afterCommit } from "../../db/transaction";
import type { PersonalDataSource } from "../privacy";
import { archiveKey, partKey } from "./job";
import { dataExports } from "./schema";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const exportsPersonalData: PersonalDataSource = {
  feature: "exports",
  tables: [{ table: dataExports, columns: ["user_id", "requested_by"], erasure: "delete", note: "the person's export requests and archives go; an admin's id on another person's request becomes null" }],
  async exportFor(db, userId) {
    const rows = await db.select().from(dataExports).where(eq(dataExports.userId, userId));
    return {
      exports: rows.map((row) => ({ id: row.id, status: row.status, requestedByAdmin: row.requestedBy !== null, reason: row.reason, createdAt: iso(row.createdAt), readyAt: iso(row.readyAt), expiresAt: iso(row.expiresAt), size: row.size })),
    };
  },
  async erase({ tx, deps, userId }) {
    const own = await tx.select({ id: dataExports.id, partsDone: dataExports.partsDone }).from(dataExports).where(eq(dataExports.userId, userId));
    const deleted = await tx.delete(dataExports).where(eq(dataExports.userId, userId));
    const cleared = await tx.update(dataExports).set({ requestedBy: null }).where(eq(dataExports.requestedBy, userId));
    afterCommit(tx, () => {
      for (const key of own.flatMap((row) => [archiveKey(row.id), ...row.partsDone.map((feature) => partKey(row.id, feature))])) void deps.storage.delete(key).catch(() => {});
    });
    return deleted.rowsAffected + cleared.rowsAffected;
  },
};
