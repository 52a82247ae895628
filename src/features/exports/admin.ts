// What the profile section and the admin page read.
import { desc, eq, isNotNull } from "drizzle-orm";
import type { Deps } from "../../deps";
import { users } from "../auth";
import { exportView, listExports, type ExportView } from "./exports";
import { dataExports, type ExportStatus } from "./schema";

export async function exportSection(deps: Pick<Deps, "db" | "now" | "config">, userId: string): Promise<{ exports: ExportView[]; ttlDays: number }> {
  const now = deps.now();
  return { exports: (await listExports(deps.db, userId, 5)).map((row) => exportView(row, now)), ttlDays: deps.config.EXPORT_TTL_DAYS };
}

export interface AdminExportItem {
  id: string;
  status: ExportStatus;
  userId: string;
  userEmail: string;
  reason: string | null;
  createdAt: number;
}

/** Exports platform admins started on people's requests, newest first (status only: the archives are the people's). */
export async function adminRequestedExports(deps: Pick<Deps, "db">, limit = 50): Promise<AdminExportItem[]> {
  return deps.db
    .select({ id: dataExports.id, status: dataExports.status, userId: dataExports.userId, userEmail: users.email, reason: dataExports.reason, createdAt: dataExports.createdAt })
    .from(dataExports)
    .innerJoin(users, eq(users.id, dataExports.userId))
    .where(isNotNull(dataExports.requestedBy))
    .orderBy(desc(dataExports.createdAt))
    .limit(limit);
}
