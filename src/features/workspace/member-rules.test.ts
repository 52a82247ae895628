import { describe, expect, test } from "bun:test";
import { bulkAnswer, canManage, grantableRoles, manageableRoles, planBulkForm, planRemovals, planUpdates, type BulkForm, type MemberState, type PlanContext, type RowResult } from "./member-rules";

function context(callerRole: MemberState["role"], members: Record<string, MemberState["role"]>): PlanContext {
  const map = new Map<string, MemberState>(Object.entries(members).map(([id, role]) => [id, { role, departmentId: null, positionId: null }]));
  return {
    callerId: "me",
    callerRole,
    members: map,
    owners: [...map.values()].filter((m) => m.role === "owner").length,
    departmentIds: new Set(["d1"]),
    positionIds: new Set(["p1"]),
  };
}
const codes = (results: { ok: boolean; error?: { code: string } }[]) => results.map((r) => (r.ok ? "ok" : r.error!.code));

describe("member rules", () => {
  test("an owner may promote to owner and then demote the other owner, but never the last", () => {
    const plan = planUpdates(context("owner", { me: "owner", a: "member" }), [
      { userId: "a", role: "owner" },
      { userId: "me", role: "admin" },
      { userId: "x", role: "admin" },
    ]);
    expect(codes(plan.results)).toEqual(["ok", "ok", "not_member"]);
    const last = planUpdates(context("owner", { me: "owner", a: "owner" }), [{ userId: "a", role: "member" }, { userId: "me", role: "member" }]);
    expect(codes(last.results)).toEqual(["ok", "last_owner"]);
    expect(last.writes.map((w) => w.userId)).toEqual(["a"]);
  });

  test("an admin gives roles up to admin and leaves owners alone", () => {
    const plan = planUpdates(context("admin", { me: "admin", o: "owner", m: "member", n: "manager" }), [
      { userId: "m", role: "owner" },
      { userId: "o", departmentId: "d1" },
      { userId: "n", role: "admin", positionId: "p1" },
      { userId: "m", role: "member" },
    ]);
    expect(codes(plan.results)).toEqual(["forbidden", "forbidden", "ok", "duplicate_row"]);
    expect(plan.writes).toEqual([{ userId: "n", before: { role: "manager", departmentId: null, positionId: null }, after: { role: "admin", departmentId: null, positionId: "p1" } }]);
  });

  test("unknown units and shapeless rows fail on their own, with field details", () => {
    const plan = planUpdates(context("owner", { me: "owner", m: "member" }), [
      { userId: "m", departmentId: "nope", positionId: "p1" },
      { userId: "m" },
      { role: "admin" },
      null,
    ]);
    expect(codes(plan.results)).toEqual(["validation_failed", "validation_failed", "validation_failed", "validation_failed"]);
    expect(plan.results[0]).toMatchObject({ ok: false, error: { status: 400, details: { fieldErrors: { departmentId: [expect.any(String)] } } } });
    expect(plan.results.map((r) => r.userId)).toEqual(["m", "m", null, null]);
    expect(plan.writes).toEqual([]);
  });

  test("removals: owners only by owners, never the last, counted across the batch", () => {
    expect(codes(planRemovals(context("admin", { me: "admin", o: "owner", m: "member" }), [{ userId: "o" }, { userId: "m" }]).results)).toEqual(["forbidden", "ok"]);
    const owners = planRemovals(context("owner", { me: "owner", o: "owner" }), [{ userId: "o" }, { userId: "me" }, { userId: "o" }]);
    expect(codes(owners.results)).toEqual(["ok", "last_owner", "duplicate_row"]);
  });
});

describe("who manages members", () => {
  test("owners manage everyone, admins everyone but owners, managers and members nobody; only owners make owners", () => {
    expect(canManage({ role: "owner" }, { role: "owner" })).toBe(true);
    expect(canManage({ role: "admin" })).toBe(true);
    expect(canManage({ role: "admin" }, { role: "owner" })).toBe(false);
    expect(canManage({ role: "manager" })).toBe(false);
    expect(manageableRoles({ role: "owner" })).toEqual(["owner", "admin", "manager", "member"]);
    expect(manageableRoles({ role: "admin" })).toEqual(["admin", "manager", "member"]);
    expect(manageableRoles({ role: "member" })).toEqual([]);
    expect(grantableRoles({ role: "owner" })).toEqual(["owner", "admin", "manager", "member"]);
    expect(grantableRoles({ role: "admin" })).toEqual(["admin", "manager", "member"]);
  });
});

describe("the bulk form (no database)", () => {
  const form = (over: Partial<BulkForm> = {}): BulkForm => ({ action: "update", userIds: ["a", "b"], role: "", departmentId: "", positionId: "", confirm: "", ...over });

  test("refusals, in order: not a manager (403), no action, nothing ticked, too many, nothing to change (422)", () => {
    expect(planBulkForm(form(), { role: "manager" })).toEqual({ kind: "refuse", status: 403, error: "Only a business admin or above may change or remove members." });
    expect(planBulkForm(form({ action: "promote", userIds: [] }), { role: "admin" })).toMatchObject({ status: 422, error: "Choose whether to change or remove the selected members." });
    expect(planBulkForm(form({ userIds: [] }), { role: "admin" })).toMatchObject({ status: 422, error: "Select at least one member first." });
    const many = Array.from({ length: 501 }, (_, i) => `u${i}`);
    expect(planBulkForm(form({ userIds: many, role: "member" }), { role: "owner" })).toMatchObject({ status: 422, error: "Select at most 500 members at once." });
    expect(planBulkForm(form(), { role: "owner" })).toMatchObject({ status: 422, error: "Choose a role, a department or a position to apply." });
  });

  test("an update is one row per ticked member: an empty select leaves it, \"none\" clears it", () => {
    expect(planBulkForm(form({ role: "manager", departmentId: "none", positionId: "p1" }), { role: "admin" })).toEqual({
      kind: "update",
      rows: [
        { userId: "a", role: "manager", departmentId: null, positionId: "p1" },
        { userId: "b", role: "manager", departmentId: null, positionId: "p1" },
      ],
    });
    expect(planBulkForm(form({ departmentId: "d1" }), { role: "admin" })).toEqual({
      kind: "update",
      rows: [
        { userId: "a", role: undefined, departmentId: "d1", positionId: undefined },
        { userId: "b", role: undefined, departmentId: "d1", positionId: undefined },
      ],
    });
  });

  test("a removal asks first; confirmed, every ticked member is a row", () => {
    expect(planBulkForm(form({ action: "remove" }), { role: "admin" })).toEqual({ kind: "remove", rows: [{ userId: "a" }, { userId: "b" }], confirmed: false });
    expect(planBulkForm(form({ action: "remove", confirm: "yes" }), { role: "admin" })).toMatchObject({ kind: "remove", confirmed: true });
  });

  test("the answer: removing oneself is leaving; all done; or the failed rows stay ticked", () => {
    const ok = (index: number, userId: string): RowResult => ({ index, userId, ok: true });
    const failed = (index: number, userId: string | null): RowResult => ({ index, userId, ok: false, error: { status: 404, code: "not_member", message: "No." } });
    expect(bulkAnswer("remove", [ok(0, "a"), ok(1, "me")], "me")).toEqual({ kind: "left" });
    expect(bulkAnswer("update", [ok(0, "me")], "me")).toEqual({ kind: "done", notice: "bulk-updated" });
    expect(bulkAnswer("remove", [ok(0, "a")], "me")).toEqual({ kind: "done", notice: "removed" });
    expect(bulkAnswer("update", [ok(0, "a"), failed(1, "b"), failed(2, null)], "me")).toEqual({ kind: "partial", selected: ["b"] });
  });
});
