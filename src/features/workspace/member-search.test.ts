import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../../test/app";
import { addBusinessMember, api, business, person, type Person } from "../../test/people";

let t: TestApp;
let me: Person;
let coworker: Person;
let classmate: Person;
let stranger: Person;
let acme: string;
let school: string;
let foreign: string;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: "off" });
  me = await person(t, "Searcher Sam");
  coworker = await person(t, "Zoë O'Brien 50%_off\\x");
  classmate = await person(t, "Émile Durand");
  stranger = await person(t, "Stranger Sam");
  acme = await business(t, me, [[coworker, "member"]], "Acme");
  school = await business(t, classmate, [[me, "member"]], "School");
  foreign = await business(t, stranger, [], "Elsewhere");
});
afterAll(() => t.close());

interface Page {
  users: { id: string; name: string; email: string }[];
  nextCursor: string | null;
}
const search = (who: Person, params: Record<string, string>) => api(t, who, `/api/member/users/search?${new URLSearchParams(params)}`);
const names = async (response: Response) => ((await response.json()) as Page).users.map((u) => u.name);

describe("user search", () => {
  test("matches name and email case-insensitively, only among people the caller shares a business with", async () => {
    expect(await names(await search(me, { q: "sam" }))).toEqual(["Searcher Sam"]);
    expect(await names(await search(me, { q: "DURAND" }))).toEqual(["Émile Durand"]);
    // Ordered case-insensitively for ASCII; other letters sort by code point (SQLite's NOCASE), so É comes after Z.
    expect(await names(await search(me, { q: "EXAMPLE.COM" }))).toEqual(["Searcher Sam", "Zoë O'Brien 50%_off\\x", "Émile Durand"]);
    // The stranger exists, but shares no business with the caller.
    expect(await names(await search(stranger, { q: "example" }))).toEqual(["Stranger Sam"]);
    expect(await names(await search(me, { q: "stranger" }))).toEqual([]);
  });

  test("non-ASCII letters match in either case", async () => {
    expect(await names(await search(me, { q: "émile" }))).toEqual(["Émile Durand"]);
    expect(await names(await search(me, { q: "ZOË" }))).toEqual(["Zoë O'Brien 50%_off\\x"]);
  });

  test("with businessId, only that business's members; a business the caller is not in is a 404", async () => {
    expect(await names(await search(me, { q: "example", businessId: acme }))).toEqual(["Searcher Sam", "Zoë O'Brien 50%_off\\x"]);
    expect(await names(await search(me, { q: "example", businessId: school }))).toEqual(["Searcher Sam", "Émile Durand"]);
    const foreignAnswer = await search(me, { q: "example", businessId: foreign });
    const missing = await search(me, { q: "example", businessId: "nosuchbusiness000000" });
    expect(foreignAnswer.status).toBe(404);
    expect(await foreignAnswer.json()).toEqual(await missing.json());
  });

  test("wildcards, quotes and backslashes are plain characters", async () => {
    expect(await names(await search(me, { q: "%" + "_" }))).toEqual(["Zoë O'Brien 50%_off\\x"]);
    expect(await names(await search(me, { q: "0%" }))).toEqual(["Zoë O'Brien 50%_off\\x"]);
    expect(await names(await search(me, { q: "__" }))).toEqual([]);
    expect(await names(await search(me, { q: "%%" }))).toEqual([]);
    expect(await names(await search(me, { q: "O'B" }))).toEqual(["Zoë O'Brien 50%_off\\x"]);
    expect(await names(await search(me, { q: "\\x" }))).toEqual(["Zoë O'Brien 50%_off\\x"]);
    expect(await names(await search(me, { q: '"; drop table users; --' }))).toEqual([]);
  });

  test("any q gets a result or a 400, never a 500", async () => {
    const nasty = ["😀", "😀😀", "👩‍👩‍👧‍👦", "a\u0000b", "\u202e\u202d", "\ud800\ud800", "%", "%%%", "_", "\\", "\\\\", "'", "''", "\"\"", "  a  ", "a".repeat(100), "a".repeat(101), "x".repeat(10_000), "ß".repeat(60), "ﬃ".repeat(60)];
    for (const q of nasty) {
      const response = await search(me, { q });
      expect([q.slice(0, 20), response.status === 200 || response.status === 400]).toEqual([q.slice(0, 20), true]);
      const body = (await response.json()) as Page | { error: { code: string } };
      if (response.status === 400) expect("error" in body && body.error.code).toBe("validation_failed");
      else expect(Array.isArray((body as Page).users)).toBe(true);
    }
    // Raw query strings a URLSearchParams would never produce.
    for (const raw of ["q=%", "q=%ZZ", "q=%FF%FE", "q=%ED%A0%80%ED%A0%80", "q=a&q=b", "q[]=ab", "q=ab&limit=1e3", "q=ab&cursor=%00"]) {
      const response = await api(t, me, `/api/member/users/search?${raw}`);
      expect([raw, response.status === 200 || response.status === 400]).toEqual([raw, true]);
    }
  });

  test("q needs 2 to 100 characters after trimming; limit is 1 to 50", async () => {
    for (const q of ["", " ", "a", " a ", "a".repeat(101)]) expect((await search(me, { q })).status).toBe(400);
    expect((await api(t, me, "/api/member/users/search")).status).toBe(400);
    expect((await search(me, { q: "😀😀" })).status).toBe(200);
    for (const limit of ["0", "51", "-1", "2.5", "ten", ""]) expect((await search(me, { q: "example", limit })).status).toBe(400);
    expect((await search(me, { q: "example", limit: "50" })).status).toBe(200);
    expect((await t.app.request("/api/member/users/search?q=a")).status).toBe(401);
  });

  test("cursor pagination walks every match once, in name order, and rejects forged cursors", async () => {
    const owner = await person(t, "Pager Owner");
    const many = await business(t, owner, [], "Many");
    // Names that tie case-insensitively, so the id breaks the tie.
    for (const name of ["pat", "Pat", "PAT", "Pam", "Paula", "Pablo", "pía"]) await addBusinessMember(t, many, await person(t, name), "member");
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const params: Record<string, string> = { q: "pa", businessId: many, limit: "2" };
      if (cursor) params.cursor = cursor;
      const response = await search(owner, params);
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      expect(page.users.length).toBeLessThanOrEqual(2);
      seen.push(...page.users.map((u) => u.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    const all = (await (await search(owner, { q: "pa", businessId: many, limit: "50" })).json()) as Page;
    expect(all.nextCursor).toBeNull();
    expect(seen).toEqual(all.users.map((u) => u.id));
    expect(new Set(seen).size).toBe(8); // the seven, and "Pager Owner"
    expect(pages).toBe(4);
    const order = all.users.map((u) => u.name.toLowerCase());
    expect(order).toEqual([...order].sort());
    for (const bad of ["garbage", "e30", btoa("[1,2]"), "a".repeat(1001)]) {
      expect((await search(owner, { q: "pa", cursor: bad })).status).toBe(400);
    }
    // A business the caller is not in is a 404 even with a forged cursor; their own, a 400.
    expect((await search(me, { q: "pa", businessId: many, cursor: "garbage" })).status).toBe(404);
    expect((await search(owner, { q: "pa", businessId: many, cursor: "garbage" })).status).toBe(400);
  });
});
