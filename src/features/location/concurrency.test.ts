// 200 sign-ups into one town at once, over real HTTP against the real server process
// (src/runtime/bun.ts, production mode), once on a database file and once on a fresh sqld:
// every one succeeds and the town's serials are exactly 1..200.
import { afterAll, describe, expect, test } from "bun:test";
import { createClient, type Client } from "@libsql/client";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSqld } from "../../test/app";
import { startServerProcess } from "../../test/server-process";
import { BLOCK_ID_PATTERN } from "./block-id";

const SIGN_UPS = 200;
const LONDON_PREFIX = "44-001-001";

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

// sqld ships with the dev dependencies; without TEST_DATABASE=sqld a machine where it cannot start
// skips that half, with TEST_DATABASE=sqld it must start.
const sqld = await startSqld().catch((error: unknown) => {
  if (process.env.TEST_DATABASE === "sqld") throw error;
  console.warn(`concurrency.test: sqld did not start (${String(error)}); skipping the sqld run`);
  return null;
});
if (sqld) cleanups.push(sqld.stop);

/** The server process over `databaseUrl`, stopped after the file's tests. */
async function startServer(databaseUrl: string): Promise<string> {
  const server = await startServerProcess({ databaseUrl, env: { LOG_LEVEL: "silent" } });
  cleanups.push(server.stop);
  return server.baseUrl;
}

async function one(client: Client, sql: string, args: (string | number)[] = []) {
  const result = await client.execute({ sql, args });
  return result.rows[0]!;
}

async function signUpTogether(databaseUrl: string) {
  const baseUrl = await startServer(databaseUrl);
  const client = createClient({ url: databaseUrl });
  cleanups.push(() => client.close());
  const london = await one(
    client,
    `select towns.id from towns join regions on regions.id = towns.region_id
     where regions.country_id = 'GB' and regions.name = 'England' and towns.name = 'London'`,
  );
  const townId = String(london.id);

  const tag = Date.now().toString(36);
  const responses = await Promise.all(
    Array.from({ length: SIGN_UPS }, (_, i) =>
      fetch(`${baseUrl}/api/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ acceptTerms: true, email: `together-${i}-${tag}@example.com`, password: `crowded town passphrase ${i} ${tag}`, name: `Together ${i}`, townId }),
      }).then(async (response) => ({ status: response.status, body: await response.text() })),
    ),
  );

  const failed = responses.filter((r) => r.status !== 201);
  expect(failed.map((r) => `${r.status} ${r.body.slice(0, 200)}`)).toEqual([]);
  const blockIds = responses.map((r) => (JSON.parse(r.body) as { user: { blockId: string } }).user.blockId);
  expect(new Set(blockIds).size).toBe(SIGN_UPS);
  for (const blockId of blockIds) expect(blockId.startsWith(`${LONDON_PREFIX}-`)).toBe(true);
  const serials = blockIds.map((blockId) => Number(BLOCK_ID_PATTERN.exec(blockId)![4])).sort((a, b) => a - b);
  expect(serials).toEqual(Array.from({ length: SIGN_UPS }, (_, i) => i + 1));

  const counter = await one(client, "select last_serial from block_id_counters where prefix = ?", [LONDON_PREFIX]);
  expect(Number(counter.last_serial)).toBe(SIGN_UPS);
  const issued = await one(client, "select count(*) as n, count(distinct value) as distinct_values, max(serial) as highest from block_ids where town_id = ?", [townId]);
  expect([Number(issued.n), Number(issued.distinct_values), Number(issued.highest)]).toEqual([SIGN_UPS, SIGN_UPS, SIGN_UPS]);
  // Each account holds the number it was told about.
  const matching = await one(
    client,
    "select count(*) as n from users join block_ids on block_ids.user_id = users.id and block_ids.retired_at is null where users.block_id = block_ids.value and block_ids.town_id = ?",
    [townId],
  );
  expect(Number(matching.n)).toBe(SIGN_UPS);
}

describe(`${SIGN_UPS} sign-ups into one town at once`, () => {
  test(
    "on a database file",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "bob-concurrency-db-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      await signUpTogether(`file:${join(dir, "app.db")}`);
    },
    180_000,
  );

  test.skipIf(!sqld)(
    "on sqld",
    async () => {
      await signUpTogether(sqld!.url);
    },
    180_000,
  );
});
