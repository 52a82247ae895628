import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, sql } from "drizzle-orm";
import { openDatabase } from "./client";
import { migrateDatabase } from "./migrate";
import { auditEvents } from "../schema";
import { writeTransaction } from "./transaction";

const tempUrl = () => `file:${join(mkdtempSync(join(tmpdir(), "bob-db-")), "t.db")}`;

describe("local database file", () => {
  test("every pooled connection runs WAL, synchronous=NORMAL, foreign keys and a busy timeout", async () => {
    const { db, client } = await openDatabase(tempUrl());
    try {
      const pragma = async (name: string) => Object.values((await client.execute(`PRAGMA ${name}`)).rows[0]!)[0];
      expect(await pragma("journal_mode")).toBe("wal");
      // A transaction holds one connection, so the next statements run on another, newer one.
      const held = await client.transaction("write");
      expect(await pragma("synchronous")).toBe(1);
      expect(await pragma("foreign_keys")).toBe(1);
      expect(await pragma("busy_timeout")).toBe(5000);
      await held.rollback();
      await migrateDatabase(db);
    } finally {
      client.close();
    }
  });

  test("migrations apply idempotently", async () => {
    const url = tempUrl();
    for (let i = 0; i < 2; i++) {
      const { db, client } = await openDatabase(url);
      await migrateDatabase(db);
      const tables = await db.all<{ name: string }>(sql`select name from sqlite_master where type='table' and name='users'`);
      expect(tables).toHaveLength(1);
      client.close();
    }
  });

  test("a failing write transaction leaves nothing behind; many at once all commit", async () => {
    const { db, client } = await openDatabase(tempUrl());
    try {
      await migrateDatabase(db);
      const row = (id: string) => ({ id, at: 1, actorUserId: null, action: "test", targetType: "t", targetId: null });
      await expect(
        writeTransaction(db, async (tx) => {
          await tx.insert(auditEvents).values(row("a"));
          throw new Error("stop");
        }),
      ).rejects.toThrow("stop");
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          writeTransaction(db, async (tx) => {
            await tx.insert(auditEvents).values(row(`b${i}`));
            await tx.insert(auditEvents).values(row(`c${i}`));
          }),
        ),
      );
      const [total] = await db.select({ n: count() }).from(auditEvents);
      expect(total!.n).toBe(120);
    } finally {
      client.close();
    }
  });
});

describe("statement cache", () => {
  test("a cached statement sees schema changes, survives a failed run and never mixes up its arguments", async () => {
    const { client } = await openDatabase(tempUrl());
    try {
      await client.execute("create table t (id integer primary key, v text not null)");
      const insert = (id: number, v: string | null) => client.execute({ sql: "insert into t (id, v) values (?, ?)", args: [id, v] });
      await insert(1, "a");
      await expect(insert(1, "again")).rejects.toThrow(/UNIQUE/); // the same cached statement fails…
      await expect(insert(2, null)).rejects.toThrow(/NOT NULL/);
      await insert(2, "b"); // …and runs again afterwards
      const select = "select * from t order by id";
      expect((await client.execute(select)).columns).toEqual(["id", "v"]);
      await client.execute("alter table t add column w text default 'x'");
      const after = await client.execute(select);
      expect(after.columns).toEqual(["id", "v", "w"]);
      expect(after.rows.map((r) => [r.id, r.v, r.w])).toEqual([[1, "a", "x"], [2, "b", "x"]]);
      const byId = await Promise.all([1, 2, 1, 2].map((id) => client.execute({ sql: "select v from t where id = ?", args: [id] })));
      expect(byId.map((r) => r.rows[0]!.v)).toEqual(["a", "b", "a", "b"]);
      // More distinct statements than the cache holds: the oldest are dropped, answers stay right.
      for (let i = 0; i < 300; i++) expect((await client.execute(`select ${i} as n`)).rows[0]!.n).toBe(i);
    } finally {
      client.close();
    }
  });
});

describe(":memory: database", () => {
  test("one connection serves migrations, concurrent transactions and reads", async () => {
    const { db, client } = await openDatabase(":memory:");
    try {
      await migrateDatabase(db);
      const row = (id: string) => ({ id, at: 1, actorUserId: null, action: "test", targetType: "t", targetId: null });
      await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => writeTransaction(db, (tx) => tx.insert(auditEvents).values(row(`m${i}`)))),
        ...Array.from({ length: 20 }, () => db.select({ n: count() }).from(auditEvents)),
      ]);
      const [total] = await db.select({ n: count() }).from(auditEvents);
      expect(total!.n).toBe(20);
    } finally {
      client.close();
    }
  });
});

