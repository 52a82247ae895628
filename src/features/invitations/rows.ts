// Checks each raw row on its own and says what is wrong with it, in words an admin can act on.
import { z } from "zod";
import type { Unit } from "../workspace";
import type { RawRow } from "./parse";
import type { InviteScope } from "./scope";

export interface RowError {
  field: "email" | "role" | "department" | "position" | "row";
  code: "invalid_email" | "unknown_role" | "role_not_allowed" | "unknown_department" | "unknown_position" | "not_applicable" | "already_member" | "already_invited" | "duplicate_row" | "bad_row" | "rate_limited" | "seat_limit";
  message: string;
}

/** A row that passed: what will be stored. */
export interface CheckedRow {
  email: string;
  role: string;
  department: Unit | null;
  position: Unit | null;
}

export interface RowContext {
  scope: InviteScope;
  defaultRole: string;
  departments: Map<string, Unit>;
  positions: Map<string, Unit>;
  /** Lower-cased addresses of current members, and of people with a live pending invitation. */
  members: Set<string>;
  pending: Set<string>;
  /** Addresses seen earlier in this batch, with their line. */
  seen: Map<string, number>;
}

const emailSchema = z.email();

export function unitMap(units: Unit[]): Map<string, Unit> {
  return new Map(units.map((unit) => [unit.name.trim().toLowerCase(), unit]));
}

function unitNames(map: Map<string, Unit>): string {
  const names = [...map.values()].map((u) => u.name);
  return names.length ? `: use one of ${names.join(", ")}` : " (this business has none yet)";
}

export function checkRow(raw: RawRow, ctx: RowContext): { ok: true; row: CheckedRow } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  if (raw.problem) errors.push({ field: "row", code: "bad_row", message: raw.problem });
  const email = raw.email.trim().toLowerCase();
  const emailOk = email.length > 0 && email.length <= 254 && emailSchema.safeParse(email).success;
  if (!emailOk) {
    errors.push({ field: "email", code: "invalid_email", message: email ? `“${raw.email.trim()}” is not a valid email address.` : "The email address is missing." });
  }
  const role = raw.role.trim().toLowerCase() || ctx.defaultRole;
  if (!ctx.scope.roles.includes(role)) {
    errors.push({ field: "role", code: "unknown_role", message: `Unknown role “${raw.role.trim()}”: use one of ${ctx.scope.roles.join(", ")}.` });
  } else if (!ctx.scope.grantable.includes(role)) {
    errors.push({ field: "role", code: "role_not_allowed", message: `As ${ctx.scope.actorRole} you may not invite someone as ${role}.` });
  }
  let department: CheckedRow["department"] = null;
  let position: CheckedRow["position"] = null;
  if (ctx.scope.kind === "household") {
    if (raw.department || raw.position) {
      errors.push({ field: raw.department ? "department" : "position", code: "not_applicable", message: "Households have no departments or positions." });
    }
  } else {
    if (raw.department) {
      department = ctx.departments.get(raw.department.trim().toLowerCase()) ?? null;
      if (!department) errors.push({ field: "department", code: "unknown_department", message: `Unknown department “${raw.department}”${unitNames(ctx.departments)}.` });
    }
    if (raw.position) {
      position = ctx.positions.get(raw.position.trim().toLowerCase()) ?? null;
      if (!position) errors.push({ field: "position", code: "unknown_position", message: `Unknown position “${raw.position}”${unitNames(ctx.positions)}.` });
    }
  }
  if (emailOk) {
    const earlier = ctx.seen.get(email);
    if (earlier !== undefined) errors.push({ field: "email", code: "duplicate_row", message: `${email} is already on line ${earlier} of this list.` });
    else ctx.seen.set(email, raw.line);
    if (ctx.members.has(email)) errors.push({ field: "email", code: "already_member", message: `${email} is already a member.` });
    else if (ctx.pending.has(email)) errors.push({ field: "email", code: "already_invited", message: `${email} already has a pending invitation.` });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, row: { email, role, department, position } };
}
