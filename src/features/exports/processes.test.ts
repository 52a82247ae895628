// The export job across real server processes on one database file and one storage directory:
// two processes racing over queued exports build each exactly once; a build left claimed by a
// dead builder is taken over and skips its stored parts; a process SIGKILLed right after a request
// is replaced and the export still ends ready. Waits poll with a deadline; nothing asserts on time.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { and, eq, inArray } from "drizzle-orm";
import { strFromU8, unzipSync } from "fflate";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../db/client";
import type { Db } from "../../db/types";
import { diskStorage } from "../../runtime/disk-storage";
import { dataExports, notifications, outbox } from "../../schema";
import { startServerProcess, type ServerProcess } from "../../test/server-process";

const dir = mkdtempSync(join(tmpdir(), "bob-exports-"));
const databaseUrl = `file:${join(dir, "app.db")}`;
const storageDir = join(dir, "uploads");
const env = { STORAGE_DIR: storageDir, JOBS_INTERVAL_SECONDS: "1", EXPORT_LEASE_SECONDS: "5" };
const running: ServerProcess[] = [];
let db: Db;
let closeDb: () => void;

async function start(extra: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServerProcess({ databaseUrl, env: { ...env, ...extra } });
  running.push(server);
  return server;
}

async function call(server: ServerProcess, path: string, init: { method?: string; json?: unknown; token?: string } = {}) {
  return fetch(`${server.baseUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.json === undefined ? {} : { "content-type": "application/json" }), origin: server.baseUrl },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
}

let counter = 0;
async function account(server: ServerProcess, name: string): Promise<{ email: string; token: string }> {
  const email = `proc${++counter}.${name.toLowerCase()}@example.com`;
  const password = "correct horse battery staple";
  const registered = await call(server, "/api/auth/register", { method: "POST", json: { email, password, name, acceptTerms: true } });
  expect(registered.status).toBe(201);
  const login = await call(server, "/api/auth/login", { method: "POST", json: { email, password } });
  expect(login.status).toBe(200);
  return { email, token: ((await login.json()) as { token: string }).token };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, seconds = 60): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(100);
  }
}

const rowsOf = (ids: string[]) => db.select().from(dataExports).where(inArray(dataExports.id, ids));

beforeAll(async () => {
  // One process first: it migrates the new database; the second finds it done.
  await start();
  await start();
  const opened = await openDatabase(databaseUrl);
  db = opened.db;
  closeDb = () => opened.client.close();
}, 90_000);

afterAll(async () => {
  for (const server of running) await server.kill().catch(() => {});
  closeDb?.();
});

test("two processes racing over queued exports build each exactly once", async () => {
  const [a, b] = running as [ServerProcess, ServerProcess];
  const people = await Promise.all(["Ann", "Ben", "Cat", "Dev", "Eli", "Fox"].map((name, i) => account(i % 2 ? b : a, name)));
  // Each asks through either process: that process kicks a build at once while the other's job polls every second.
  const ids = await Promise.all(
    people.map(async (who, i) => {
      const asked = await call(i % 2 ? a : b, "/api/me/exports", { method: "POST", token: who.token });
      expect(asked.status).toBe(202);
      return ((await asked.json()) as { export: { id: string } }).export.id;
    }),
  );
  const rows = await until("every export ready", async () => {
    const found = await rowsOf(ids);
    return found.length === ids.length && found.every((row) => row.status === "ready") ? found : null;
  });
  for (const row of rows) expect(row).toMatchObject({ attempts: 1, claimToken: null, done: row.total });
  for (const [i, who] of people.entries()) {
    const told = await db.select().from(notifications).where(and(eq(notifications.kind, "privacy.export"), eq(notifications.userId, rows.find((row) => row.id === ids[i])!.userId)));
    expect(told).toHaveLength(1);
    // The mail is written just after the commit that made the export ready: wait for it, then count.
    const mails = await until(`the ready mail to ${who.email}`, async () => {
      const found = await db.select().from(outbox).where(and(eq(outbox.toAddress, who.email), eq(outbox.subject, "Your data export is ready")));
      return found.length ? found : null;
    });
    expect(mails).toHaveLength(1);
  }
}, 120_000);

test("a build its dead builder left claimed is taken over once the lease ran out, and its stored parts are not rebuilt", async () => {
  const [a] = running as [ServerProcess];
  const gus = await account(a, "Gus");
  const me = (await (await call(a, "/api/auth/me", { token: gus.token })).json()) as { user: { id: string } };
  const id = "dead-builders-export";
  const storage = diskStorage(storageDir);
  await storage.put(`exports/${id}/parts/auth`, new TextEncoder().encode('{"planted":"by the dead builder"}'), "application/json");
  await db.insert(dataExports).values({ id, userId: me.user.id, status: "building", done: 1, total: 99, partsDone: ["auth"], claimToken: "a-killed-process", claimedUntil: Date.now() - 1000, attempts: 1, createdAt: Date.now() });
  const row = await until("the export taken over and ready", async () => {
    const [found] = await rowsOf([id]);
    return found?.status === "ready" ? found : null;
  });
  expect(row.attempts).toBe(2);
  const zip = unzipSync(new Uint8Array(await (await call(a, `/me/exports/${id}/download`, { token: gus.token })).arrayBuffer()));
  expect(JSON.parse(strFromU8(zip["data/auth.json"]!))).toEqual({ planted: "by the dead builder" });
  expect(Object.keys(zip)).toContain("data/chat.json");
}, 120_000);

test("a process killed right after a request: a new one on the same database and storage finishes the export", async () => {
  for (const server of running.splice(0)) await server.kill();
  // Its own job would wait an hour: only its kick builds, and the kill lands on that.
  const doomed = await start({ JOBS_INTERVAL_SECONDS: "3600" });
  const hal = await account(doomed, "Hal");
  const asked = await call(doomed, "/api/me/exports", { method: "POST", token: hal.token });
  expect(asked.status).toBe(202);
  await doomed.kill();
  const id = ((await asked.json()) as { export: { id: string } }).export.id;
  const [left] = await rowsOf([id]);
  expect(["queued", "building", "ready"]).toContain(left!.status);
  const restarted = await start();
  const row = await until("the export ready after the restart", async () => {
    const [found] = await rowsOf([id]);
    return found?.status === "ready" ? found : null;
  });
  expect(row.attempts).toBeLessThanOrEqual(2);
  const download = await call(restarted, `/me/exports/${id}/download`, { token: hal.token });
  expect(download.status).toBe(200);
  expect(Object.keys(unzipSync(new Uint8Array(await download.arrayBuffer())))).toContain("README.txt");
}, 120_000);
