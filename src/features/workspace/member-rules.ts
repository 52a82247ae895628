// The rules for changing and removing members, as pure functions over a snapshot of the business:
// the service reads the snapshot inside its write transaction, plans every row here, and writes
// only the rows that pass. No database, no request: each rule is easy to test on its own.
import type { z } from "zod";
import { zodFieldErrors } from "../../http/validate";
import { bulkRemoveRowInput, bulkUpdateRowInput, MAX_BULK_ROWS, type BulkUpdateRow } from "./input";
import { BUSINESS_ROLES, type BusinessRole } from "./schema";

export type { BulkUpdateRow, MemberPatch } from "./input";

export interface MemberState {
  role: BusinessRole;
  departmentId: string | null;
  positionId: string | null;
}

export interface PlanContext {
  callerId: string;
  callerRole: BusinessRole;
  /** The caller and every member the rows name (users not in the business are absent). */
  members: Map<string, MemberState>;
  owners: number;
  departmentIds: Set<string>;
  positionIds: Set<string>;
}

export interface RowError {
  status: 400 | 403 | 404 | 409;
  code: string;
  message: string;
  details?: { fieldErrors: Record<string, string[]> };
}

/** One row's answer in a bulk request, in the order the rows came. */
export type RowResult =
  | { index: number; userId: string | null; ok: true }
  | { index: number; userId: string | null; ok: false; error: RowError };

export interface PlannedWrite {
  userId: string;
  before: MemberState;
  after: MemberState;
}

/** Admins and owners manage members; an admin may not touch an owner. */
export function canManage(me: { role: BusinessRole }, target?: { role: BusinessRole }): boolean {
  if (me.role !== "owner" && me.role !== "admin") return false;
  return !target || target.role !== "owner" || me.role === "owner";
}

/** The roles of the members whose rows this caller may change (none unless they manage). */
export function manageableRoles(me: { role: BusinessRole }): BusinessRole[] {
  return BUSINESS_ROLES.filter((role) => canManage(me, { role }));
}

/** The roles this caller may hand out: only an owner makes owners. */
export function grantableRoles(me: { role: BusinessRole }): BusinessRole[] {
  return me.role === "owner" ? ["owner", "admin", "manager", "member"] : ["admin", "manager", "member"];
}

const fail = (status: RowError["status"], code: string, message: string, fieldErrors?: Record<string, string[]>): RowError => ({
  status,
  code,
  message,
  ...(fieldErrors ? { details: { fieldErrors } } : {}),
});

function invalid(error: z.ZodError): RowError {
  return fail(400, "validation_failed", "This row needs attention.", zodFieldErrors(error));
}

const notMember = () => fail(404, "not_member", "That user is not a member of this business.");
const lastOwner = (verb: string) =>
  fail(409, "last_owner", `This is the business's last owner, who cannot be ${verb}. Make another member an owner first.`);
const ownerOnly = (what: string) => fail(403, "forbidden", `Only an owner may ${what}.`);

/** The common start of every row: its shape, no repeats, and a member of this business. */
function readRow<T extends { userId: string }>(schema: z.ZodType<T>, raw: unknown, seen: Set<string>, context: PlanContext) {
  const given = (raw as { userId?: unknown } | null)?.userId;
  const userId = typeof given === "string" ? given : null;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { userId, error: invalid(parsed.error) };
  if (seen.has(parsed.data.userId)) return { userId, error: fail(400, "duplicate_row", "This member appears more than once; only the first row counts.") };
  seen.add(parsed.data.userId);
  const target = context.members.get(parsed.data.userId);
  if (!target) return { userId, error: notMember() };
  return { userId, row: parsed.data, target };
}

/**
 * Checks each row against the rules in order, each against the state the accepted rows before it
 * leave (so two rows cannot together demote every owner). The caller is an admin or an owner.
 */
export function planUpdates(context: PlanContext, rows: unknown[]): { results: RowResult[]; writes: PlannedWrite[] } {
  const results: RowResult[] = [];
  const writes: PlannedWrite[] = [];
  const seen = new Set<string>();
  let owners = context.owners;
  rows.forEach((raw, index) => {
    const read = readRow(bulkUpdateRowInput, raw, seen, context);
    const error = read.error ?? checkUpdate(context, read.row!, read.target!, owners);
    if (error) {
      results.push({ index, userId: read.userId, ok: false, error });
      return;
    }
    const { row, target } = read as { row: BulkUpdateRow; target: MemberState };
    const after: MemberState = {
      role: row.role ?? target.role,
      departmentId: row.departmentId === undefined ? target.departmentId : row.departmentId,
      positionId: row.positionId === undefined ? target.positionId : row.positionId,
    };
    if (target.role === "owner" && after.role !== "owner") owners -= 1;
    if (target.role !== "owner" && after.role === "owner") owners += 1;
    const changed = after.role !== target.role || after.departmentId !== target.departmentId || after.positionId !== target.positionId;
    if (changed) writes.push({ userId: row.userId, before: { ...target }, after });
    context.members.set(row.userId, after);
    results.push({ index, userId: row.userId, ok: true });
  });
  return { results, writes };
}

function checkUpdate(context: PlanContext, row: BulkUpdateRow, target: MemberState, owners: number): RowError | null {
  if (target.role === "owner" && context.callerRole !== "owner") return ownerOnly("change an owner");
  if (row.role === "owner" && target.role !== "owner" && context.callerRole !== "owner") {
    return ownerOnly("make someone an owner; an admin may give roles up to admin");
  }
  const fieldErrors: Record<string, string[]> = {};
  if (row.departmentId && !context.departmentIds.has(row.departmentId)) fieldErrors.departmentId = ["There is no such department in this business."];
  if (row.positionId && !context.positionIds.has(row.positionId)) fieldErrors.positionId = ["There is no such position in this business."];
  if (Object.keys(fieldErrors).length) return fail(400, "validation_failed", "Choose a department and a position of this business.", fieldErrors);
  if (target.role === "owner" && row.role !== undefined && row.role !== "owner" && owners <= 1) return lastOwner("demoted");
  return null;
}

/** The same for removals: owners only by owners, never the last owner. */
export function planRemovals(context: PlanContext, rows: unknown[]): { results: RowResult[]; writes: PlannedWrite[] } {
  const results: RowResult[] = [];
  const writes: PlannedWrite[] = [];
  const seen = new Set<string>();
  let owners = context.owners;
  rows.forEach((raw, index) => {
    const read = readRow(bulkRemoveRowInput, raw, seen, context);
    let error = read.error ?? null;
    if (!error && read.target!.role === "owner") {
      if (context.callerRole !== "owner") error = ownerOnly("remove an owner");
      else if (owners <= 1) error = lastOwner("removed");
    }
    if (error) {
      results.push({ index, userId: read.userId, ok: false, error });
      return;
    }
    const target = read.target!;
    if (target.role === "owner") owners -= 1;
    writes.push({ userId: read.row!.userId, before: { ...target }, after: target });
    context.members.delete(read.row!.userId);
    results.push({ index, userId: read.row!.userId, ok: true });
  });
  return { results, writes };
}

// The members panel's bulk form (POST /business/:id/members/bulk): what to do with what was posted,
// and what to answer after the service ran the rows.

/** The bulk form as posted. */
export interface BulkForm {
  action: string;
  /** The ticked members, each once. */
  userIds: string[];
  /** "" leaves the role. */
  role: string;
  /** "" leaves it, "none" clears it, anything else is an id (checked by the rules above). */
  departmentId: string;
  positionId: string;
  /** "yes" once the removal is confirmed. */
  confirm: string;
}

export type BulkFormPlan =
  | { kind: "refuse"; status: 403 | 422; error: string }
  | { kind: "update"; rows: { userId: string; role?: string; departmentId?: string | null; positionId?: string | null }[] }
  /** Not confirmed yet: the panel asks first. */
  | { kind: "remove"; rows: { userId: string }[]; confirmed: boolean };

const bulkUnit = (value: string) => (value === "" ? undefined : value === "none" ? null : value);

/** Checks the form before anything is read: who may use it, which action, how many members, and what to change. */
export function planBulkForm(form: BulkForm, me: { role: BusinessRole }): BulkFormPlan {
  const refuse = (status: 403 | 422, error: string): BulkFormPlan => ({ kind: "refuse", status, error });
  if (!canManage(me)) return refuse(403, "Only a business admin or above may change or remove members.");
  if (form.action !== "update" && form.action !== "remove") return refuse(422, "Choose whether to change or remove the selected members.");
  if (!form.userIds.length) return refuse(422, "Select at least one member first.");
  if (form.userIds.length > MAX_BULK_ROWS) return refuse(422, `Select at most ${MAX_BULK_ROWS} members at once.`);
  if (form.action === "remove") return { kind: "remove", rows: form.userIds.map((userId) => ({ userId })), confirmed: form.confirm === "yes" };
  const change = { role: form.role || undefined, departmentId: bulkUnit(form.departmentId), positionId: bulkUnit(form.positionId) };
  if (change.role === undefined && change.departmentId === undefined && change.positionId === undefined) {
    return refuse(422, "Choose a role, a department or a position to apply.");
  }
  return { kind: "update", rows: form.userIds.map((userId) => ({ userId, ...change })) };
}

export type BulkAnswer = { kind: "left" } | { kind: "done"; notice: "bulk-updated" | "removed" } | { kind: "partial"; selected: string[] };

/**
 * What the panel answers once the rows ran: the caller removed themself → they left (to /home);
 * every row passed → done; else the results, with the rows that failed still ticked.
 */
export function bulkAnswer(action: "update" | "remove", results: RowResult[], callerId: string): BulkAnswer {
  if (action === "remove" && results.some((r) => r.ok && r.userId === callerId)) return { kind: "left" };
  if (results.every((r) => r.ok)) return { kind: "done", notice: action === "update" ? "bulk-updated" : "removed" };
  return { kind: "partial", selected: results.flatMap((r) => (!r.ok && r.userId ? [r.userId] : [])) };
}
