// The Block ID admin API: only platform admins (every route, API and portal, refuses members and
// the signed out), user search with paging and odd input, moving a user (new serial, old number
// retired, audited, wrong picks refused) and the audit trails of a user and of one number.
// The portal pages are in block-ids-pages.test.ts; the shared setup in block-ids.fixture.ts.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { newId } from "../../lib/crypto";
import { bearerRequest } from "../../test/app";
import { auditEvents } from "../audit/schema";
import { users } from "../auth/schema";
import { blockIds } from "../location/schema";
import { sameOrigin, useBlockIdsApp } from "./block-ids.fixture";

const f = useBlockIdsApp();

type SearchAnswer = { users: { id: string; name: string; email: string; blockId: string; source: string; place: { town: { name: string } } }[]; nextCursor: string | null };

async function search(query: string): Promise<SearchAnswer> {
  const response = await f.api(`/api/admin/users/block-ids?${query}`);
  expect({ query, status: response.status }).toEqual({ query, status: 200 });
  return (await response.json()) as SearchAnswer;
}

describe("only platform admins", () => {
  const routes = () => [
    ["GET", "/api/admin/users/block-ids?q=root"],
    ["PUT", `/api/admin/users/${f.memberId}/location`],
    ["GET", `/api/admin/users/${f.memberId}/audit-logs`],
    ["GET", "/api/admin/block-ids/44-000-000-000001/audit-logs"],
    ["GET", "/admin-portal/block-ids"],
    ["GET", `/admin-portal/block-ids/users/${f.adminId}`],
    ["POST", `/admin-portal/block-ids/users/${f.memberId}/location`],
    ["GET", "/admin-portal/block-ids/44-000-000-000001"],
  ];

  test("a signed-in member gets 403 on every route, and nothing moves", async () => {
    const before = await f.currentBlockId(f.memberId);
    for (const [method, path] of routes()) {
      const init = method === "PUT" ? { json: { ...f.place.manchester } } : method === "POST" ? { form: { ...f.place.manchester } } : {};
      const response = await f.member.request(path!, { method, headers: sameOrigin, ...init });
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      const body = await response.text();
      if (path!.startsWith("/api/")) expect(JSON.parse(body).error.code).toBe("forbidden");
      else expect(body).toContain("The admin portal is for platform admins only.");
      expect(body).not.toContain("root@example.com");
    }
    const bearer = await bearerRequest(f.t.app, f.memberToken, `/api/admin/users/${f.memberId}/location`, { method: "PUT", json: { ...f.place.manchester } });
    expect(bearer.status).toBe(403);
    expect(await f.currentBlockId(f.memberId)).toBe(before);
  });

  test("signed out: 401 under /api, the sign-in page for a page, 401 for a form post", async () => {
    for (const [method, path] of routes()) {
      const response = await f.t.app.request(path!, { method, headers: sameOrigin });
      if (path!.startsWith("/api/")) {
        expect({ path, status: response.status }).toEqual({ path, status: 401 });
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthenticated");
      } else if (method === "GET") {
        expect({ path, status: response.status }).toEqual({ path, status: 303 });
        expect(response.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path!)}`);
      } else {
        expect({ path, status: response.status }).toEqual({ path, status: 401 });
      }
    }
  });
});

describe("GET /api/admin/users/block-ids", () => {
  let edinburgh: string[];
  beforeAll(async () => {
    edinburgh = [];
    for (const [name, email] of [
      ["100% Real", "percent@example.com"],
      ["snake_case", "under@example.com"],
      [`O'Brien "Quotes"`, "quotes@example.com"],
      ["Émile 🦊 Fox", "fox@example.com"],
    ] as const) {
      edinburgh.push((await f.seedUser({ name, email, town: "edinburgh" })).blockId);
    }
    await f.seedUser({ name: "Zara Upper", email: "ZARA.case@example.com", town: "houston" });
  });

  test("each user comes with the current Block ID, its town, region, country and source", async () => {
    const { users: found } = await search("q=fox%40example");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      name: "Émile 🦊 Fox",
      email: "fox@example.com",
      blockId: edinburgh[3],
      source: "picked",
      place: { country: { id: "GB", callingCode: "44" }, region: { name: "Scotland", code: "002" }, town: { name: "Edinburgh", code: "001" } },
    });
  });

  test("q matches the start of a Block ID, or part of a name or an email, ignoring case", async () => {
    const byPrefix = await search("q=44-002-001");
    expect(byPrefix.users.map((u) => u.blockId).sort()).toEqual([...edinburgh].sort());
    expect((await search(`q=${edinburgh[1]}`)).users.map((u) => u.email)).toEqual(["under@example.com"]);
    // Only a prefix: the middle of a number is no match.
    expect((await search("q=002-001")).users).toEqual([]);
    expect((await search("q=1-0")).users.every((u) => u.blockId.startsWith("1-0"))).toBe(true);
    expect((await search("q=zARA%20up")).users.map((u) => u.name)).toEqual(["Zara Upper"]);
    expect((await search("q=QUOTES%40EXAMPLE")).users.map((u) => u.name)).toEqual([`O'Brien "Quotes"`]);
    expect((await search("q=%C3%A9MILE")).users.map((u) => u.email)).toEqual(["fox@example.com"]);
  });

  test("%, _, quotes, backslashes and emoji are plain characters; odd input is a 200 or a 400, never a 500", async () => {
    for (const [q, email] of [["%", "percent@example.com"], ["_", "under@example.com"], ["'B", "quotes@example.com"], [`"Quotes"`, "quotes@example.com"], ["🦊", "fox@example.com"]] as const) {
      const found = await search(`q=${encodeURIComponent(q)}`);
      expect({ q, emails: found.users.map((u) => u.email) }).toEqual({ q, emails: [email] });
    }
    for (const q of ["%%", "\\", "' or 1=1 --", "%00", "%ED%A0%80", "%F0%9F", "a".repeat(200)]) {
      const response = await f.api(`/api/admin/users/block-ids?q=${q.startsWith("%") ? q : encodeURIComponent(q)}`);
      expect({ q, ok: [200, 400].includes(response.status) }).toEqual({ q, ok: true });
      if (response.status === 200) expect(((await response.json()) as SearchAnswer).users).toEqual([]);
    }
    const long = await f.api(`/api/admin/users/block-ids?q=${"a".repeat(10_000)}`);
    expect(long.status).toBe(400);
    const body = (await long.json()) as { error: { code: string; details: { fieldErrors: Record<string, string[]> } } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.fieldErrors.q).toEqual(["Search with at most 200 characters."]);
  });

  test("a bad limit or cursor is a 400 naming the parameter", async () => {
    const forged = Buffer.from(JSON.stringify(["x", "y"])).toString("base64url");
    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=-1", "limit"],
      ["limit=1.5", "limit"],
      ["limit=abc", "limit"],
      ["limit=99999999999999", "limit"],
      ["cursor=garbage", "cursor"],
      ["cursor=%F0%9F%98%80", "cursor"],
      [`cursor=${forged}`, "cursor"],
      [`cursor=${"A".repeat(5000)}`, "cursor"],
    ] as const) {
      const response = await f.api(`/api/admin/users/block-ids?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      const body = (await response.json()) as { error: { details: { fieldErrors: Record<string, string[]> } } };
      expect(Object.keys(body.error.details.fieldErrors)).toEqual([field]);
    }
  });

  test("pages by cursor give every user once, newest account first, ties broken by id", async () => {
    const made = await f.seedPagers();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: SearchAnswer = await search(`q=pager&limit=5${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.users.map((u) => u.id));
      expect(page.users.length).toBe(page.nextCursor ? 5 : 3);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(23);
    expect(new Set(seen)).toEqual(new Set(made));
    const ties = made.slice(0, 12).sort().reverse();
    expect(seen.slice(0, 12)).toEqual(ties);

    const all = (await f.t.deps.db.select({ id: users.id }).from(users)).length;
    const everyone = new Set<string>();
    cursor = null;
    do {
      const page: SearchAnswer = await search(`limit=100${cursor ? `&cursor=${cursor}` : ""}`);
      for (const u of page.users) everyone.add(u.id);
      cursor = page.nextCursor;
    } while (cursor);
    expect(everyone.size).toBe(all);
    const byDefault = await search("");
    expect(byDefault.users).toHaveLength(20);
  });
});

describe("PUT /api/admin/users/:id/location", () => {
  test("a move issues the new town's next serial, retires the old number and shows it everywhere", async () => {
    const mover = await f.registerIn("mover@example.com", "Mo Ver", "london");
    expect(mover.blockId).toStartWith("44-001-001-");
    const expected = await f.serialAfter("44-001-002");

    const response = await f.move(mover.id, { ...f.place.manchester });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.user).toEqual({ id: mover.id, blockId: expected });
    expect(body.previous.blockId).toBe(mover.blockId);
    expect(body.previous.place.town.name).toBe("London");
    expect(body.current).toEqual({
      blockId: expected,
      place: { country: { id: "GB", name: expect.any(String), callingCode: "44" }, region: { id: f.place.manchester!.regionId, code: "001", name: "England" }, town: { id: f.place.manchester!.townId, code: "002", name: "Manchester" } },
    });

    expect(await f.currentBlockId(mover.id)).toBe(expected);
    const me = (await (await bearerRequest(f.t.app, mover.token, "/api/auth/me")).json()) as { user: { blockId: string } };
    expect(me.user.blockId).toBe(expected);
    const rows = await f.numbersOf(mover.id);
    const old = rows.find((r) => r.value === mover.blockId)!;
    expect(typeof old.retiredAt).toBe("number");
    expect(rows.find((r) => r.value === expected)).toMatchObject({ retiredAt: null, source: "admin", townId: f.place.manchester!.townId });

    // Back to the first town: a new London serial, never the old number again.
    const again = await f.serialAfter("44-001-001");
    const back = (await (await f.move(mover.id, { townId: f.place.london!.townId })).json()) as any;
    expect(back.current.blockId).toBe(again);
    expect(back.current.blockId).not.toBe(mover.blockId);
    expect(await f.numbersOf(mover.id)).toHaveLength(3);
    expect(await f.t.deps.db.select().from(blockIds).where(eq(blockIds.value, mover.blockId))).toEqual([{ ...old }]);
    expect(((await (await bearerRequest(f.t.app, mover.token, "/api/auth/me")).json()) as any).user.blockId).toBe(again);

    const events = await f.t.deps.db.select().from(auditEvents).where(eq(auditEvents.actorUserId, f.adminId));
    const change = events.find((e) => e.action === "user.location_change" && e.targetId === mover.id && (e.details as any).after.blockId === expected)!;
    expect(change.details).toMatchObject({
      source: "admin",
      before: { blockId: mover.blockId, townId: f.place.london!.townId, place: "London, England, United Kingdom" },
      after: { blockId: expected, townId: f.place.manchester!.townId, place: "Manchester, England, United Kingdom" },
    });
    expect(events.find((e) => e.action === "block_id.retire" && e.targetId === mover.blockId)?.details).toMatchObject({ userId: mover.id, replacedBy: expected });
    expect(events.find((e) => e.action === "block_id.issue" && e.targetId === expected)?.details).toMatchObject({ userId: mover.id, source: "admin", replaces: mover.blockId });
  });

  test("a country or region alone lands in its Unassigned town", async () => {
    const user = await f.seedUser({ name: "Country Only", email: "country-only@example.com", town: "london" });
    const expected = await f.serialAfter("33-000-000");
    const response = await f.move(user.id, { countryId: "fr" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.current.blockId).toBe(expected);
    expect(body.current.place.town).toMatchObject({ code: "000", name: "Unassigned" });
    const region = (await (await f.move(user.id, { regionId: f.place.edinburgh!.regionId })).json()) as any;
    expect(region.current.blockId).toStartWith("44-002-000-");
  });

  test("wrong picks are 400s naming the field, and change nothing", async () => {
    const user = await f.seedUser({ name: "Stays Put", email: "stays@example.com", town: "london" });
    const cases: [unknown, string][] = [
      [{ countryId: "US", townId: f.place.london!.townId }, "townId"],
      [{ regionId: f.place.houston!.regionId, townId: f.place.london!.townId }, "townId"],
      [{ countryId: "GB", regionId: f.place.houston!.regionId }, "regionId"],
      [{ townId: f.place.london!.townId }, "townId"],
      [{ countryId: "GB", regionId: f.place.london!.regionId, townId: f.place.london!.townId }, "townId"],
      [{ townId: "a".repeat(26) }, "townId"],
      [{ townId: "London" }, "townId"],
      [{ townId: 5 }, "townId"],
      [{ countryId: "ZZ" }, "countryId"],
      [{}, "countryId"],
    ];
    for (const [json, field] of cases) {
      const response = await f.move(user.id, json);
      expect({ json, status: response.status }).toEqual({ json, status: 400 });
      const body = (await response.json()) as { error: { details: { fieldErrors: Record<string, string[]> } } };
      expect({ json, fields: Object.keys(body.error.details.fieldErrors) }).toEqual({ json, fields: [field] });
    }
    const same = (await (await f.move(user.id, { townId: f.place.london!.townId })).json()) as any;
    expect(same.error.details.fieldErrors.townId).toEqual(["This is already the user's town."]);
    const broken = await f.admin.request(`/api/admin/users/${user.id}/location`, { method: "PUT", headers: { ...sameOrigin, "content-type": "application/json" }, body: "{not json" });
    expect(broken.status).toBe(400);
    expect(await f.numbersOf(user.id)).toHaveLength(1);
    expect(await f.currentBlockId(user.id)).toBe(user.blockId);
  });

  test("a malformed user id is a 400, an unknown one a 404", async () => {
    for (const id of ["bad%20id!", "x".repeat(500), "%F0%9F%A6%8A", "a.b"]) {
      const response = await f.move(id, { ...f.place.manchester });
      expect({ id, status: response.status }).toEqual({ id, status: 400 });
    }
    const unknown = await f.move(newId(), { ...f.place.manchester });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.code).toBe("not_found");
  });
});

describe("audit trails", () => {
  let mover: { id: string; blockId: string; token: string };
  let second: string;
  let third: string;
  beforeAll(async () => {
    mover = await f.registerIn("trail@example.com", "Trail Blazer", "london");
    second = ((await (await f.move(mover.id, { ...f.place.edinburgh })).json()) as any).current.blockId;
    f.t.advance(1000);
    third = ((await (await f.move(mover.id, { ...f.place.houston })).json()) as any).current.blockId;
  });

  test("a user's events: about them, about their numbers, and what they did; newest first, paged", async () => {
    const response = await f.api(`/api/admin/users/${mover.id}/audit-logs`);
    expect(response.status).toBe(200);
    const { events, nextCursor } = (await response.json()) as { events: any[]; nextCursor: string | null };
    expect(nextCursor).toBeNull();
    const actions = events.map((e) => `${e.action} ${e.targetId}`);
    for (const expected of [
      `auth.register ${mover.id}`,
      `block_id.issue ${mover.blockId}`,
      `block_id.retire ${mover.blockId}`,
      `block_id.issue ${second}`,
      `block_id.retire ${second}`,
      `block_id.issue ${third}`,
      `user.location_change ${mover.id}`,
    ]) {
      expect(actions).toContain(expected);
    }
    expect(events.filter((e) => e.action === "user.location_change")).toHaveLength(2);
    expect(events.every((e) => e.targetId === mover.id || [mover.blockId, second, third].includes(e.targetId) || e.actorUserId === mover.id)).toBe(true);
    // Events of one move share a millisecond; the newest location change is the last move.
    const latest = events.find((e) => e.action === "user.location_change");
    expect(latest.details.after.blockId).toBe(third);
    expect(latest.actorEmail).toBe("root@example.com");
    expect(latest.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    for (let i = 1; i < events.length; i++) expect(Date.parse(events[i - 1].at)).toBeGreaterThanOrEqual(Date.parse(events[i].at));

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await (await f.api(`/api/admin/users/${mover.id}/audit-logs?limit=2${cursor ? `&cursor=${cursor}` : ""}`)).json();
      paged.push(...page.events.map((e: any) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(events.map((e) => e.id));

    expect((await f.api(`/api/admin/users/${newId()}/audit-logs`)).status).toBe(404);
    expect((await f.api(`/api/admin/users/not%20an%20id/audit-logs`)).status).toBe(400);
    expect((await f.api(`/api/admin/users/${mover.id}/audit-logs?cursor=nope`)).status).toBe(400);
    expect((await f.api(`/api/admin/users/${mover.id}/audit-logs?limit=1000`)).status).toBe(400);
  });

  test("a retired number's history: its issue, its retirement and the moves that name it", async () => {
    const response = await f.api(`/api/admin/block-ids/${second}/audit-logs`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.blockId).toMatchObject({ value: second, userId: mover.id, source: "admin", place: { town: { name: "Edinburgh" } } });
    expect(body.blockId.retiredAt).toMatch(/^\d{4}-/);
    expect(Date.parse(body.blockId.retiredAt)).toBeGreaterThanOrEqual(Date.parse(body.blockId.issuedAt));
    const actions = body.events.map((e: any) => e.action).sort();
    expect(actions).toEqual(["block_id.issue", "block_id.retire", "user.location_change", "user.location_change"]);
    const changes = body.events.filter((e: any) => e.action === "user.location_change");
    expect(changes.map((e: any) => [e.details.before.blockId, e.details.after.blockId])).toEqual([
      [second, third],
      [mover.blockId, second],
    ]);
  });

  test("a current number's history, and the errors", async () => {
    const body = (await (await f.api(`/api/admin/block-ids/${third}/audit-logs`)).json()) as any;
    expect(body.blockId).toMatchObject({ value: third, userId: mover.id, retiredAt: null, place: { country: { id: "US" } } });
    expect(body.events.map((e: any) => e.action).sort()).toEqual(["block_id.issue", "user.location_change"]);
    const first = (await (await f.api(`/api/admin/block-ids/${mover.blockId}/audit-logs`)).json()) as any;
    expect(first.events.map((e: any) => e.action).sort()).toEqual(["block_id.issue", "block_id.retire", "user.location_change"]);

    for (const value of ["44-1-1-1", "abc", "44-001-001-0000001", "44-001-001-00000a", "%27%20or%201%3D1", "12345-001-001-000001"]) {
      const response = await f.api(`/api/admin/block-ids/${value}/audit-logs`);
      expect({ value, status: response.status }).toEqual({ value, status: 400 });
    }
    expect((await f.api("/api/admin/block-ids/44-999-999-999999/audit-logs")).status).toBe(404);
  });
});
