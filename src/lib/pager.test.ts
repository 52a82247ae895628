import { describe, expect, test } from "bun:test";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { decodeCursor, encodeCursor, fetchLimit, nextCursor, pageOf, pageOffset } from "./pager";

describe("pageOf", () => {
  test("one row more than the limit: the page without it, and more follow", () => {
    expect(fetchLimit(20)).toBe(21);
    expect(pageOf([1, 2, 3, 4], 3)).toEqual({ rows: [1, 2, 3], hasMore: true });
  });

  test("exactly the limit, fewer, or none: all of them, and nothing follows", () => {
    expect(pageOf([1, 2, 3], 3)).toEqual({ rows: [1, 2, 3], hasMore: false });
    expect(pageOf([1], 3)).toEqual({ rows: [1], hasMore: false });
    expect(pageOf([], 3)).toEqual({ rows: [], hasMore: false });
  });

  test("does not change the rows it was given", () => {
    const rows = [1, 2, 3];
    pageOf(rows, 2);
    expect(rows).toEqual([1, 2, 3]);
  });

  test("pageOffset: page 1 starts at 0", () => {
    expect(pageOffset(1, 20)).toBe(0);
    expect(pageOffset(3, 20)).toBe(40);
  });
});

describe("cursors", () => {
  test("round trip: a time and an id, a name and an id", () => {
    const timed = encodeCursor([1_700_000_000_123, "abc_DEF-9"]);
    expect(timed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(timed, ["integer", "string"])).toEqual([1_700_000_000_123, "abc_DEF-9"]);
    const named = encodeCursor(["Émile \"quoted\"", "id1"]);
    expect(decodeCursor(named, ["string", "string"])).toEqual(["Émile \"quoted\"", "id1"]);
  });

  test("the encoding the existing cursors use, so links already handed out keep working", () => {
    const old = (key: unknown[]) => encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(key)));
    expect(encodeCursor([1_700_000_000_123, "abc"])).toBe(old([1_700_000_000_123, "abc"]));
    expect(decodeCursor(old(["Ada", "x"]), ["string", "string"])).toEqual(["Ada", "x"]);
  });

  test("anything else is null: damaged text, not JSON, the wrong length or kinds", () => {
    const bytes = (text: string) => encodeBase64urlNoPadding(new TextEncoder().encode(text));
    for (const text of ["", "***", "not base64!", encodeBase64urlNoPadding(new Uint8Array([0xff, 0xfe])), bytes("{"), bytes('{"a":1}'), bytes("[1]"), bytes('[1,"a",2]')]) {
      expect(decodeCursor(text, ["integer", "string"])).toBeNull();
    }
    expect(decodeCursor(encodeCursor(["1", "a"]), ["integer", "string"])).toBeNull();
    expect(decodeCursor(encodeCursor([1.5, "a"]), ["integer", "string"])).toBeNull();
    expect(decodeCursor(bytes("[1e300,\"a\"]"), ["integer", "string"])).toBeNull();
    expect(decodeCursor(encodeCursor([1, 2]), ["integer", "string"])).toBeNull();
    expect(decodeCursor(bytes('[null,"a"]'), ["string", "string"])).toBeNull();
  });

  test("nextCursor: the last row's key when more follow, else null", () => {
    const rows = [{ at: 3, id: "c" }, { at: 2, id: "b" }, { at: 1, id: "a" }];
    const page = pageOf(rows, 2);
    const cursor = nextCursor(page, (last) => [last.at, last.id]);
    expect(cursor).not.toBeNull();
    expect(decodeCursor(cursor!, ["integer", "string"])).toEqual([2, "b"]);
    expect(nextCursor(pageOf(rows, 3), (last) => [last.at, last.id])).toBeNull();
    expect(nextCursor(pageOf([], 3), () => [])).toBeNull();
  });
});
