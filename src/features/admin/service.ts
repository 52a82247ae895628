import { and, count, desc, eq, isNull, ne, or, sql } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db, Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import type { Deps } from "../../deps";
import { AppError } from "../../lib/errors";
import { fetchLimit, pageOf, pageOffset, type Page } from "../../lib/pager";
import { recordAudit, type RequestMeta } from "../audit";
// The auth feature offers no service for an admin to flip another account's flags, so the portal
// writes users.disabled_at and users.is_platform_admin itself; sessions end through auth's own code.
import { endAllSessionsOf, setAccountStatus, users } from "../auth";
import type { ListQuery, UserChange } from "./input";

export const USERS_PER_PAGE = 20;

export interface AdminUser {
  id: string;
  name: string;
  email: string;
  createdAt: number;
  isPlatformAdmin: boolean;
  disabledAt: number | null;
  blockId: string | null;
}

const adminUserColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  createdAt: users.createdAt,
  isPlatformAdmin: users.isPlatformAdmin,
  disabledAt: users.disabledAt,
  blockId: users.blockId,
};

/**
 * Case-insensitive substring match on name or email. instr() takes the text literally, so `%`, `_`,
 * quotes and backslashes are plain characters; SQLite's lower() folds ASCII letters only.
 */
export function textMatch(column: AnySQLiteColumn, needle: string) {
  return sql`instr(lower(${column}), lower(${needle})) > 0`;
}

/** Digits and dashes, like `44-001` or a whole `44-001-012-000123`: the start of a Block ID. */
const BLOCK_ID_PREFIX = /^\d[\d-]*$/;

/** Part of a name or an email, or the start of a Block ID. */
export async function searchUsers(db: Db, query: ListQuery): Promise<Page<AdminUser>> {
  const byBlockId = BLOCK_ID_PREFIX.test(query.q) ? sql`substr(${users.blockId}, 1, ${query.q.length}) = ${query.q}` : undefined;
  const where = query.q ? or(textMatch(users.name, query.q), textMatch(users.email, query.q), byBlockId) : undefined;
  const rows = await db
    .select(adminUserColumns)
    .from(users)
    .where(where)
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(fetchLimit(USERS_PER_PAGE))
    .offset(pageOffset(query.page, USERS_PER_PAGE));
  return pageOf(rows, USERS_PER_PAGE);
}

export async function findAdminUser(db: Db | Tx, id: string): Promise<AdminUser | null> {
  const [row] = await db.select(adminUserColumns).from(users).where(eq(users.id, id)).limit(1);
  return row ?? null;
}

const AUDIT_ACTIONS: Record<UserChange, string> = {
  disable: "admin.user_disable",
  enable: "admin.user_enable",
  "grant-admin": "admin.platform_admin_grant",
  "revoke-admin": "admin.platform_admin_revoke",
  "sign-out": "admin.user_sign_out",
};

/** Enabled platform admins other than `userId`: who would be left to run the platform. */
async function otherActiveAdmins(tx: Tx, userId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.isPlatformAdmin, true), isNull(users.disabledAt), ne(users.id, userId)));
  return row?.n ?? 0;
}

/**
 * Disables, enables, grants or revokes platform admin, audited with before and after. Disabling
 * ends every session of the user in the same transaction. The checks run inside the transaction
 * so two admins acting at once cannot leave the platform without one.
 */
export async function changeUser(deps: Deps, actorId: string, targetId: string, change: UserChange, meta: RequestMeta): Promise<AdminUser> {
  return writeTransaction(deps.db, async (tx) => {
    const actor = await findAdminUser(tx, actorId);
    if (!actor?.isPlatformAdmin || actor.disabledAt !== null) {
      throw new AppError(403, "forbidden", "The admin portal is for platform admins only.");
    }
    const target = await findAdminUser(tx, targetId);
    if (!target) throw new AppError(404, "not_found", "There is no such user.");

    const losesAdmin =
      target.isPlatformAdmin && target.disabledAt === null && (change === "revoke-admin" || change === "disable");
    if (losesAdmin && (await otherActiveAdmins(tx, target.id)) === 0) {
      throw new AppError(409, "last_admin", "This is the last platform admin; grant admin to someone else first.");
    }
    if (target.id === actor.id && change === "disable") {
      throw new AppError(409, "self_protection", "You cannot disable your own account; ask another platform admin.");
    }
    if (target.id === actor.id && change === "revoke-admin") {
      throw new AppError(409, "self_protection", "You cannot revoke your own platform admin; ask another platform admin.");
    }

    const now = deps.now();
    if (change === "sign-out") {
      if (target.id === actor.id) throw new AppError(409, "self_protection", "End your own sessions from your profile.");
      const sessionsEnded = await endAllSessionsOf(tx, target.id);
      await recordAudit(tx, now, meta, { actorUserId: actor.id, action: AUDIT_ACTIONS[change], targetType: "user", targetId: target.id, details: { email: target.email, sessionsEnded } });
      return target;
    }
    const next: Partial<Pick<AdminUser, "disabledAt" | "isPlatformAdmin">> =
      change === "disable"
        ? { disabledAt: target.disabledAt ?? now }
        : change === "enable"
          ? { disabledAt: null }
          : { isPlatformAdmin: change === "grant-admin" };
    const field = change === "disable" || change === "enable" ? "disabledAt" : "isPlatformAdmin";
    if (target[field] === next[field]) return target;

    const { sessionsEnded } = await setAccountStatus(tx, target.id, field === "disabledAt" ? { disabledAt: next.disabledAt ?? null } : { isPlatformAdmin: next.isPlatformAdmin! }, now);
    const updated = await findAdminUser(tx, target.id);
    await recordAudit(tx, now, meta, {
      actorUserId: actor.id,
      action: AUDIT_ACTIONS[change],
      targetType: "user",
      targetId: target.id,
      details: {
        email: target.email,
        before: { [field]: target[field] },
        after: { [field]: updated![field] },
        ...(sessionsEnded === null ? {} : { sessionsEnded }),
      },
    });
    return updated!;
  });
}
