// Two real server processes (src/runtime/bun.ts, production mode) on one database — a file, and a
// sqld server: a write through one reaches a stream held open on the other (by its poll of the
// log), and a reconnect to either after a gap replays what was missed.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSqld } from "../../test/app";
import { startServerProcess } from "../../test/server-process";
import { jsonEvents, SseReader } from "../../test/sse";

const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const sqld = await startSqld().catch((error: unknown) => {
  if (process.env.TEST_DATABASE === "sqld") throw error;
  console.warn(`cross-process.test: sqld did not start (${String(error)}); skipping the sqld run`);
  return null;
});
if (sqld) cleanups.push(sqld.stop);

async function twoServers(databaseUrl: string) {
  // One after the other: the first applies the migrations, the second finds them applied.
  const a = await startServerProcess({ databaseUrl, env: { LOG_LEVEL: "silent" } });
  cleanups.push(a.stop);
  const b = await startServerProcess({ databaseUrl, env: { LOG_LEVEL: "silent" } });
  cleanups.push(b.stop);
  return [a.baseUrl, b.baseUrl] as const;
}

async function token(baseUrl: string, email: string) {
  const password = "correct horse battery staple";
  const registered = await fetch(`${baseUrl}/api/auth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ acceptTerms: true, email, password, name: "Two Places" }) });
  expect(registered.status).toBe(201);
  const login = await fetch(`${baseUrl}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  expect(login.status).toBe(200);
  return ((await login.json()) as { token: string }).token;
}

async function deliveredAcross(databaseUrl: string) {
  const [a, b] = await twoServers(databaseUrl);
  const bearer = { authorization: `Bearer ${await token(a, `two-${Date.now()}@example.com`)}` };
  const stream = new SseReader(await fetch(`${a}/api/events`, { headers: bearer }));
  expect(stream.response.status).toBe(200);

  // A write through B: creating a business announces access.changed on the creator's channel.
  const created = await fetch(`${b}/api/businesses`, { method: "POST", headers: { ...bearer, "content-type": "application/json" }, body: JSON.stringify({ name: "Made on B", kind: "company" }) });
  expect(created.status).toBe(201);
  const first = jsonEvents(await stream.until((m) => m.data.includes('"access.changed"'), 5000)).at(-1);
  await stream.close();

  // Missed while away, written through B; replayed by A after the last id seen, exactly once.
  for (const name of ["Second", "Third"]) {
    const more = await fetch(`${b}/api/businesses`, { method: "POST", headers: { ...bearer, "content-type": "application/json" }, body: JSON.stringify({ name, kind: "company" }) });
    expect(more.status).toBe(201);
  }
  const resumed = new SseReader(await fetch(`${a}/api/events`, { headers: { ...bearer, "last-event-id": String(first!.id) } }));
  const replayed = jsonEvents(await resumed.drain(1500)).filter((event) => event.type === "access.changed");
  expect(replayed.length).toBe(2);
  expect(new Set(replayed.map((event) => event.id)).size).toBe(2);
  expect(replayed.every((event) => event.id > first!.id)).toBe(true);
  await resumed.close();
}

describe("two server processes on one database", () => {
  test("on a database file: a write on B reaches a stream on A, and a reconnect replays the gap", async () => {
    await deliveredAcross(`file:${join(mkdtempSync(join(tmpdir(), "bob-two-")), "app.db")}`);
  }, 60_000);

  test.skipIf(!sqld)("on sqld: the same", async () => {
    await deliveredAcross(sqld!.url);
  }, 60_000);
});
