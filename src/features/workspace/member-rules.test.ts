import { describe, expect, test } from "bun:test";
import { planRemovals, planUpdates, type MemberState, type PlanContext } from "./member-rules";

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
