import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { users } from "../../schema";
import { createTestApp, type TestApp } from "../../test/app";
import { api, auditFor, business, person, type Person, roleOf } from "../../test/people";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: "off" });
});
afterAll(() => t.close());

interface Result {
  index: number;
  userId: string | null;
  ok: boolean;
  error?: { status: number; code: string; message: string; details?: { fieldErrors: Record<string, string[]> } };
}
const json = async <T,>(response: Response) => (await response.json()) as T;
const unit = async (who: Person, businessId: string, kind: "department" | "position", name: string) => {
  const { createUnit } = await import("./service");
  const meta = { ipAddress: "127.0.0.1", userAgent: "test", requestId: "test" };
  return (await createUnit(t.deps, who.id, businessId, kind, name, meta)).id;
};

describe("reading members", () => {
  test("any member reads the list with role, department, position, Block ID and join time", async () => {
    const [owner, member] = [await person(t, "Olive Owner"), await person(t, "Mia Member")];
    const id = await business(t, owner, [[member, "member"]]);
    const sales = await unit(owner, id, "department", "Sales");
    expect((await api(t, owner, `/api/businesses/${id}/members/${member.id}`, { method: "PATCH", json: { departmentId: sales } })).status).toBe(200);
    const response = await api(t, member, `/api/businesses/${id}/members`);
    expect(response.status).toBe(200);
    const { members } = await json<{ members: Record<string, unknown>[] }>(response);
    expect(members.map((m) => m.name)).toEqual(["Mia Member", "Olive Owner"]);
    expect(members[0]).toMatchObject({ userId: member.id, email: member.email, role: "member", department: { id: sales, name: "Sales" }, position: null });
    expect(String(members[0]!.joinedAt)).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Each member's Block ID as stored (users.block_id), null for one without.
    await t.deps.db.update(users).set({ blockId: null }).where(eq(users.id, owner.id));
    const [stored] = await t.deps.db.select({ blockId: users.blockId }).from(users).where(eq(users.id, member.id));
    expect(stored!.blockId).toMatch(/^\d{1,4}-\d{3}-\d{3}-\d{6}$/);
    const again = (await json<{ members: Record<string, unknown>[] }>(await api(t, member, `/api/businesses/${id}/members`))).members;
    expect(again.map((m) => [m.name, m.blockId])).toEqual([["Mia Member", stored!.blockId], ["Olive Owner", null]]);
  });

  test("a business the caller is not in answers 404 on every members route, exactly like a missing one", async () => {
    const [owner, outsider, inside] = [await person(t, "Owner B"), await person(t, "Outsider"), await person(t, "Inside B")];
    const id = await business(t, owner, [[inside, "member"]]);
    await business(t, outsider, [], "Outsider's own");
    const calls: [string, string, unknown?][] = [
      ["GET", ""],
      ["PATCH", `/${inside.id}`, { role: "admin" }],
      ["PATCH", `/${inside.id}`, { role: "king", extra: 1 }],
      ["DELETE", `/${inside.id}`],
      ["POST", "/bulk", { action: "remove", rows: [{ userId: inside.id }] }],
      ["POST", "/bulk", "not even an object"],
    ];
    for (const [method, path, body] of calls) {
      const foreign = await api(t, outsider, `/api/businesses/${id}/members${path}`, { method, json: body });
      const missing = await api(t, outsider, `/api/businesses/nosuchbusiness0000000/members${path}`, { method, json: body });
      expect([method, path, foreign.status]).toEqual([method, path, 404]);
      expect(await foreign.json()).toEqual(await missing.json());
    }
    expect((await roleOf(t, id, inside))?.role).toBe("member");
    expect((await t.app.request(`/api/businesses/${id}/members`)).status).toBe(401);
  });
});

describe("changing one member", () => {
  test("an admin changes role, department and position; the change is audited with before and after", async () => {
    const [owner, admin, member] = [await person(t, "Owner C"), await person(t, "Admin C"), await person(t, "Member C")];
    const id = await business(t, owner, [[admin, "admin"], [member, "member"]]);
    const dept = await unit(owner, id, "department", "Ops");
    const post = await unit(owner, id, "position", "Lead");
    const response = await api(t, admin, `/api/businesses/${id}/members/${member.id}`, { method: "PATCH", json: { role: "manager", departmentId: dept, positionId: post } });
    expect(response.status).toBe(200);
    expect((await json<{ member: unknown }>(response)).member).toMatchObject({ role: "manager", department: { id: dept }, position: { id: post, name: "Lead" } });
    const [event] = await auditFor(t, id, "business.member_update");
    expect(event!.actorUserId).toBe(admin.id);
    expect(event!.details).toMatchObject({
      userId: member.id,
      before: { role: "member", departmentId: null, positionId: null },
      after: { role: "manager", departmentId: dept, positionId: post },
    });
    // null clears; leaving a field out keeps it.
    await api(t, admin, `/api/businesses/${id}/members/${member.id}`, { method: "PATCH", json: { departmentId: null } });
    expect(await roleOf(t, id, member)).toMatchObject({ role: "manager", departmentId: null, positionId: post });
  });

  test("a manager or a member cannot do an admin's work (403), and nothing changes", async () => {
    const [owner, manager, member] = [await person(t, "Owner D"), await person(t, "Manager D"), await person(t, "Member D")];
    const id = await business(t, owner, [[manager, "manager"], [member, "member"]]);
    for (const who of [manager, member]) {
      const target = who === manager ? member : manager;
      expect((await api(t, who, `/api/businesses/${id}/members/${target.id}`, { method: "PATCH", json: { role: "member" } })).status).toBe(403);
      expect((await api(t, who, `/api/businesses/${id}/members/${target.id}`, { method: "DELETE" })).status).toBe(403);
      const bulk = await api(t, who, `/api/businesses/${id}/members/bulk`, { method: "POST", json: { action: "update", rows: [{ userId: target.id, role: "member" }] } });
      expect(bulk.status).toBe(403);
      // Raising oneself is an admin's work too.
      expect((await api(t, who, `/api/businesses/${id}/members/${who.id}`, { method: "PATCH", json: { role: "admin" } })).status).toBe(403);
    }
    expect((await roleOf(t, id, manager))?.role).toBe("manager");
    expect((await roleOf(t, id, member))?.role).toBe("member");
    expect(await auditFor(t, id, "business.member_update")).toHaveLength(0);
  });

  test("only an owner makes, unmakes, changes or removes an owner; an admin gives roles up to admin", async () => {
    const [owner, admin, other] = [await person(t, "Owner E"), await person(t, "Admin E"), await person(t, "Other E")];
    const id = await business(t, owner, [[admin, "admin"], [other, "member"]]);
    const patch = (who: Person, target: Person, body: unknown) => api(t, who, `/api/businesses/${id}/members/${target.id}`, { method: "PATCH", json: body });
    expect((await patch(admin, other, { role: "owner" })).status).toBe(403);
    expect((await patch(admin, admin, { role: "owner" })).status).toBe(403);
    expect((await patch(admin, owner, { role: "member" })).status).toBe(403);
    const dept = await unit(owner, id, "department", "Legal");
    expect((await patch(admin, owner, { departmentId: dept })).status).toBe(403);
    expect((await api(t, admin, `/api/businesses/${id}/members/${owner.id}`, { method: "DELETE" })).status).toBe(403);
    expect((await patch(admin, other, { role: "admin" })).status).toBe(200);
    expect((await patch(owner, other, { role: "owner" })).status).toBe(200);
    expect((await patch(owner, other, { role: "member" })).status).toBe(200);
    expect((await roleOf(t, id, owner))?.role).toBe("owner");
  });

  test("the last owner cannot be demoted, removed or leave (409); with a second owner they can", async () => {
    const [owner, second] = [await person(t, "Owner F"), await person(t, "Second F")];
    const id = await business(t, owner, [[second, "admin"]]);
    const demote = await api(t, owner, `/api/businesses/${id}/members/${owner.id}`, { method: "PATCH", json: { role: "admin" } });
    expect(demote.status).toBe(409);
    expect((await json<{ error: { code: string; message: string } }>(demote)).error).toMatchObject({ code: "last_owner", message: expect.stringContaining("last owner") });
    const leave = await api(t, owner, `/api/businesses/${id}/members/${owner.id}`, { method: "DELETE" });
    expect(leave.status).toBe(409);
    const bulkRemove = await api(t, owner, `/api/businesses/${id}/members/bulk`, { method: "POST", json: { action: "remove", rows: [{ userId: owner.id }] } });
    expect((await json<{ results: Result[] }>(bulkRemove)).results[0]!.error!.code).toBe("last_owner");
    expect((await roleOf(t, id, owner))?.role).toBe("owner");

    expect((await api(t, owner, `/api/businesses/${id}/members/${second.id}`, { method: "PATCH", json: { role: "owner" } })).status).toBe(200);
    expect((await api(t, owner, `/api/businesses/${id}/members/${owner.id}`, { method: "PATCH", json: { role: "admin" } })).status).toBe(200);
    expect((await api(t, owner, `/api/businesses/${id}/members/${owner.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await roleOf(t, id, owner)).toBeNull();
    expect(await auditFor(t, id, "business.member_leave")).toHaveLength(1);
    expect((await api(t, second, `/api/businesses/${id}/members/${second.id}`, { method: "DELETE" })).status).toBe(409);
  });

  test("two owners demoting each other at once leave exactly one owner (rules read inside the write)", async () => {
    const [a, b] = [await person(t, "Owner G1"), await person(t, "Owner G2")];
    const id = await business(t, a, [[b, "owner"]]);
    const results = await Promise.all([
      api(t, a, `/api/businesses/${id}/members/${b.id}`, { method: "PATCH", json: { role: "member" } }),
      api(t, b, `/api/businesses/${id}/members/${a.id}`, { method: "PATCH", json: { role: "member" } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 403]);
    const owners = [(await roleOf(t, id, a))!.role, (await roleOf(t, id, b))!.role].filter((r) => r === "owner");
    expect(owners).toHaveLength(1);
  });

  test("departments and positions must be this business's: foreign or unknown ids are a 400 with field details", async () => {
    const [owner, member, stranger] = [await person(t, "Owner H"), await person(t, "Member H"), await person(t, "Stranger H")];
    const id = await business(t, owner, [[member, "member"]]);
    const other = await business(t, stranger, [], "Elsewhere");
    const foreignDept = await unit(stranger, other, "department", "Theirs");
    const foreignPost = await unit(stranger, other, "position", "Theirs");
    const response = await api(t, owner, `/api/businesses/${id}/members/${member.id}`, { method: "PATCH", json: { departmentId: foreignDept, positionId: "nosuchposition" } });
    expect(response.status).toBe(400);
    const { error } = await json<{ error: { details: { fieldErrors: Record<string, string[]> } } }>(response);
    expect(Object.keys(error.details.fieldErrors).sort()).toEqual(["departmentId", "positionId"]);
    const post = await api(t, owner, `/api/businesses/${id}/members/${member.id}`, { method: "PATCH", json: { positionId: foreignPost } });
    expect(post.status).toBe(400);
    expect(await roleOf(t, id, member)).toMatchObject({ departmentId: null, positionId: null });
  });

  test("bad bodies are a 400; a user who is not a member is a 404", async () => {
    const [owner, member, nobody] = [await person(t, "Owner I"), await person(t, "Member I"), await person(t, "Nobody I")];
    const id = await business(t, owner, [[member, "member"]]);
    for (const body of [{}, { role: "king" }, { role: "admin", extra: true }, { departmentId: 5 }]) {
      expect((await api(t, owner, `/api/businesses/${id}/members/${member.id}`, { method: "PATCH", json: body })).status).toBe(400);
    }
    expect((await api(t, owner, `/api/businesses/${id}/members/${nobody.id}`, { method: "PATCH", json: { role: "admin" } })).status).toBe(404);
    expect((await api(t, owner, `/api/businesses/${id}/members/${nobody.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await api(t, owner, `/api/businesses/${id}/members/bulk`, { method: "POST", json: { action: "update", rows: [] } })).status).toBe(400);
  });

  test("any member may leave; an admin removes a member; both are audited", async () => {
    const [owner, admin, m1, m2] = [await person(t, "Owner J"), await person(t, "Admin J"), await person(t, "M1 J"), await person(t, "M2 J")];
    const id = await business(t, owner, [[admin, "admin"], [m1, "member"], [m2, "member"]]);
    expect((await api(t, m1, `/api/businesses/${id}/members/${m1.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api(t, admin, `/api/businesses/${id}/members/${m2.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await roleOf(t, id, m1)).toBeNull();
    expect(await roleOf(t, id, m2)).toBeNull();
    const [removed] = await auditFor(t, id, "business.member_remove");
    expect(removed!.details).toMatchObject({ userId: m2.id, before: { role: "member" }, after: null });
    expect(await auditFor(t, id, "business.member_leave")).toHaveLength(1);
    // Once gone, the business is invisible to them.
    expect((await api(t, m1, `/api/businesses/${id}/members`)).status).toBe(404);
  });
});

describe("bulk changes", () => {
  test("every row gets its own result; the valid rows apply together, each audited", async () => {
    const [owner, admin, a, b, c, outsider] = await Promise.all(["Owner K", "Admin K", "A K", "B K", "C K", "Out K"].map((n) => person(t, n)));
    const id = await business(t, owner!, [[admin!, "admin"], [a!, "member"], [b!, "member"], [c!, "member"]]);
    const dept = await unit(owner!, id, "department", "Support");
    const response = await api(t, admin!, `/api/businesses/${id}/members/bulk`, {
      method: "POST",
      json: {
        action: "update",
        rows: [
          { userId: a!.id, role: "manager", departmentId: dept },
          { userId: outsider!.id, role: "manager" },
          { userId: b!.id, departmentId: "notadepartment" },
          { userId: a!.id, role: "admin" },
          { userId: owner!.id, role: "admin" },
          { userId: c!.id, role: "owner" },
          { userId: c!.id.toUpperCase(), role: "superuser" },
          "not a row",
          { userId: admin!.id, positionId: null },
          { userId: b!.id, positionId: null },
        ],
      },
    });
    expect(response.status).toBe(200);
    const body = await json<{ results: Result[]; applied: number; failed: number }>(response);
    expect(body.results.map((r) => (r.ok ? "ok" : r.error!.code))).toEqual([
      "ok",
      "not_member",
      "validation_failed",
      "duplicate_row",
      "forbidden",
      "forbidden",
      "validation_failed",
      "validation_failed",
      "ok",
      "duplicate_row",
    ]);
    expect(body.results[2]!.error!.details!.fieldErrors.departmentId).toBeDefined();
    expect(body.results[6]!.error!.details!.fieldErrors.role).toBeDefined();
    expect(body.results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(body.results[7]!.userId).toBeNull();
    expect({ applied: body.applied, failed: body.failed }).toEqual({ applied: 2, failed: 8 });
    expect(await roleOf(t, id, a!)).toMatchObject({ role: "manager", departmentId: dept });
    expect((await roleOf(t, id, c!))?.role).toBe("member");
    // The admin's row changed nothing (no position before either): no event for it. A repeated
    // member is refused even when the first row for them failed: only the first row counts.
    expect((await auditFor(t, id, "business.member_update")).map((e) => e.details.userId)).toEqual([a!.id]);
  });

  test("rows are checked in order against what the rows before them leave: a batch cannot demote every owner", async () => {
    const [o1, o2] = [await person(t, "Owner L1"), await person(t, "Owner L2")];
    const id = await business(t, o1, [[o2, "owner"]]);
    const response = await api(t, o1, `/api/businesses/${id}/members/bulk`, {
      method: "POST",
      json: { action: "update", rows: [{ userId: o2.id, role: "admin" }, { userId: o1.id, role: "admin" }] },
    });
    const { results } = await json<{ results: Result[] }>(response);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(results[1]!.error!.code).toBe("last_owner");
    expect((await roleOf(t, id, o1))?.role).toBe("owner");
    expect((await roleOf(t, id, o2))?.role).toBe("admin");
  });

  test("bulk remove reports each row and removes the valid ones", async () => {
    const [owner, admin, a, b, other] = await Promise.all(["Owner M", "Admin M", "A M", "B M", "Other M"].map((n) => person(t, n)));
    const id = await business(t, owner!, [[admin!, "admin"], [a!, "member"], [b!, "manager"]]);
    const response = await api(t, admin!, `/api/businesses/${id}/members/bulk`, {
      method: "POST",
      json: { action: "remove", rows: [{ userId: a!.id }, { userId: owner!.id }, { userId: other!.id }, { userId: b!.id }, { userId: b!.id }] },
    });
    const { results, applied } = await json<{ results: Result[]; applied: number }>(response);
    expect(results.map((r) => (r.ok ? "ok" : r.error!.code))).toEqual(["ok", "forbidden", "not_member", "ok", "duplicate_row"]);
    expect(applied).toBe(2);
    expect(await roleOf(t, id, a!)).toBeNull();
    expect(await roleOf(t, id, b!)).toBeNull();
    expect((await roleOf(t, id, owner!))?.role).toBe("owner");
    expect(await auditFor(t, id, "business.member_remove")).toHaveLength(2);
  });

  test("a failure while writing rolls the whole batch back: nothing applied, nothing audited", async () => {
    const [owner, a, b, c] = await Promise.all(["Owner N", "A N", "B N", "C N"].map((n) => person(t, n)));
    const id = await business(t, owner!, [[a!, "member"], [b!, "member"], [c!, "member"]]);
    // The database refuses the second row's write, after the first row's write has happened.
    await t.deps.db.run(sql.raw(`create trigger fail_update before update on business_members when new.user_id = '${b!.id}' begin select raise(abort, 'injected failure'); end`));
    await t.deps.db.run(sql.raw(`create trigger fail_delete before delete on business_members when old.user_id = '${b!.id}' begin select raise(abort, 'injected failure'); end`));
    try {
      const rows = [a!, b!, c!].map((who) => ({ userId: who.id }));
      const update = await api(t, owner!, `/api/businesses/${id}/members/bulk`, { method: "POST", json: { action: "update", rows: rows.map((r) => ({ ...r, role: "manager" })) } });
      expect(update.status).toBe(500);
      const remove = await api(t, owner!, `/api/businesses/${id}/members/bulk`, { method: "POST", json: { action: "remove", rows } });
      expect(remove.status).toBe(500);
    } finally {
      await t.deps.db.run(sql.raw("drop trigger fail_update"));
      await t.deps.db.run(sql.raw("drop trigger fail_delete"));
    }
    for (const who of [a!, b!, c!]) expect((await roleOf(t, id, who))?.role).toBe("member");
    expect(await auditFor(t, id, "business.member_update")).toHaveLength(0);
    expect(await auditFor(t, id, "business.member_remove")).toHaveLength(0);
    // And the same batch goes through once the database accepts it.
    const ok = await api(t, owner!, `/api/businesses/${id}/members/bulk`, { method: "POST", json: { action: "update", rows: [a!, b!, c!].map((w) => ({ userId: w.id, role: "manager" })) } });
    expect((await json<{ applied: number }>(ok)).applied).toBe(3);
  });

  test("a batch larger than the limit is refused as a whole", async () => {
    const owner = await person(t, "Owner P");
    const id = await business(t, owner);
    const rows = Array.from({ length: 501 }, (_, i) => ({ userId: `u${i}` }));
    expect((await api(t, owner, `/api/businesses/${id}/members/bulk`, { method: "POST", json: { action: "remove", rows } })).status).toBe(400);
  });
});
