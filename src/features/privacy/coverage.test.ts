// No feature may forget the registry: every column that names a person — a foreign key to users,
// a user id or "…_by" column, an email or IP address, a rate-limit bucket, an event channel — must be
// declared by some feature's personal-data.ts, and every declared column must exist.
import { describe, expect, test } from "bun:test";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "../../schema";
import { PERSONAL_DATA } from "../../personal-data";

const tables: SQLiteTable[] = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable => value instanceof SQLiteTable);
const usersTable = getTableConfig(schema.users).name;

/** Columns that name a person by what they are, whatever table they sit in. */
const NAMES_A_PERSON = /(^|_)(user_id|author_id|uploader_id|bucket|channel)$|^email$|_address$|_by$/;

function personColumns(table: SQLiteTable): string[] {
  const config = getTableConfig(table);
  const byReference = config.foreignKeys.flatMap((fk) => {
    const reference = fk.reference();
    return getTableConfig(reference.foreignTable).name === usersTable ? reference.columns.map((column) => column.name) : [];
  });
  const byName = config.columns.map((column) => column.name).filter((name) => NAMES_A_PERSON.test(name));
  const own = config.name === usersTable ? ["id", "email", "name"] : [];
  return [...new Set([...byReference, ...byName, ...own])];
}

const declared = new Map<string, Set<string>>();
for (const source of PERSONAL_DATA) {
  for (const entry of source.tables) {
    const name = getTableConfig(entry.table).name;
    const set = declared.get(name) ?? new Set<string>();
    for (const column of entry.columns) set.add(column);
    declared.set(name, set);
  }
}

describe("the personal data registry", () => {
  test("every column that names a person is declared by some feature", () => {
    const missing = tables.flatMap((table) => {
      const name = getTableConfig(table).name;
      return personColumns(table)
        .filter((column) => !declared.get(name)?.has(column))
        .map((column) => `${name}.${column}`);
    });
    expect(missing).toEqual([]);
  });

  test("every declared column exists (a renamed column cannot leave a stale declaration behind)", () => {
    const unknown = [...declared].flatMap(([name, columns]) => {
      const table = tables.find((candidate) => getTableConfig(candidate).name === name)!;
      const real = new Set(getTableConfig(table).columns.map((column) => column.name));
      return [...columns].filter((column) => !real.has(column)).map((column) => `${name}.${column}`);
    });
    expect(unknown).toEqual([]);
  });

  test("a table is declared by one feature only, and a cascade is backed by an ON DELETE CASCADE foreign key to users", () => {
    const owners = new Map<string, string[]>();
    for (const source of PERSONAL_DATA) for (const entry of source.tables) owners.set(getTableConfig(entry.table).name, [...(owners.get(getTableConfig(entry.table).name) ?? []), source.feature]);
    expect([...owners].filter(([, features]) => features.length > 1)).toEqual([]);
    const unbacked = PERSONAL_DATA.flatMap((source) =>
      source.tables
        .filter((entry) => entry.erasure === "cascade")
        .filter((entry) => !getTableConfig(entry.table).foreignKeys.some((fk) => getTableConfig(fk.reference().foreignTable).name === usersTable && fk.onDelete === "cascade"))
        .map((entry) => getTableConfig(entry.table).name),
    );
    expect(unbacked).toEqual([]);
  });

  test("the check bites: a table with a user column nobody declares is reported", () => {
    const orphan = tables.find((table) => getTableConfig(table).name === "message_reactions")!;
    expect(personColumns(orphan)).toContain("user_id");
    expect(personColumns(schema.users)).toEqual(expect.arrayContaining(["email", "name"]));
    expect(personColumns(schema.outbox)).toContain("to_address");
    expect(personColumns(schema.notifications)).not.toContain("by_email");
  });
});
