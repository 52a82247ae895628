// Every registration can erase: `erase` is required by PersonalDataSource (a feature without one does
// not compile), and this checks the list as it is at run time — no later feature's source slips in
// without an eraser, and each table says what erasure does to it.
import { expect, test } from "bun:test";
import { getTableConfig } from "drizzle-orm/sqlite-core";
import { PERSONAL_DATA } from "../../personal-data";
import type { PersonalDataSource } from "./registry";

test("every registered feature has an eraser", () => {
  const without = PERSONAL_DATA.filter((source) => typeof source.erase !== "function").map((source) => source.feature);
  expect(without).toEqual([]);
  expect(PERSONAL_DATA.length).toBeGreaterThan(10);
});

test("every declared table names its erasure rule", () => {
  const rules = new Set(["delete", "anonymize", "cascade"]);
  const bad = PERSONAL_DATA.flatMap((source) => source.tables.filter((entry) => !rules.has(entry.erasure)).map((entry) => `${source.feature}: ${getTableConfig(entry.table).name}`));
  expect(bad).toEqual([]);
});

test("the type requires erase (a source without one is a compile error)", () => {
  // @ts-expect-error — erase is missing
  const incomplete: PersonalDataSource = { feature: "x", tables: [], exportFor: async () => ({}) };
  expect(incomplete.feature).toBe("x");
});
