// Where an open event stream's memory and a fan-out's CPU go, in-process. Not part of `npm run bench`;
// run it by hand when a figure of bench/sse-fanout.ts misses its target.
//
//   TZ=UTC NODE_ENV=production bun bench/profile-sse.ts [streams=1000] [messages=20]
//   TZ=UTC NODE_ENV=production bun --cpu-prof-md --cpu-prof-dir=/tmp/prof bench/profile-sse.ts   # and a CPU profile
//
// Serves the real app (src/runtime/bun.ts's deps and app) on a loopback port over a fresh database,
// with one reader holding every stream (EVENT_STREAMS_PER_USER=1000 at most, so streams ≤ 1000), from
// one client process (bench/sse-client.ts). Prints the JS heap (after a full GC) and RSS per stream,
// the object types that grew, and the server CPU per message.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { heapStats } from "bun:jsc";
import { createClient } from "@libsql/client";
import { parseConfig } from "../src/config";
import { buildBunDeps, withStatic } from "../src/runtime/bun";
import { freePort } from "../src/test/server-process";

const streams = Math.min(1000, Number(process.argv[2] ?? 1000));
const messages = Number(process.argv[3] ?? 20);
const dir = mkdtempSync(join(tmpdir(), "profile-sse-"));
const port = freePort();
const base = `http://127.0.0.1:${port}`;
const config = parseConfig({
  ...process.env,
  NODE_ENV: "production",
  PORT: String(port),
  PUBLIC_URL: base,
  DATABASE_URL: `file:${join(dir, "app.db")}`,
  STORAGE_DIR: join(dir, "uploads"),
  SECRET_KEYS: `p:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`,
  RATE_LIMIT: "off",
  LOG_LEVEL: "silent",
  EVENT_STREAMS_PER_USER: "1000",
});
const deps = await buildBunDeps(config);
const server = Bun.serve({ hostname: "127.0.0.1", port, fetch: withStatic(deps).fetch, idleTimeout: 120 });

const password = `quiet river stones ${crypto.randomUUID()}`;
const json = { "content-type": "application/json", origin: base };
async function account(email: string) {
  const user = (await (await fetch(`${base}/api/auth/register`, { method: "POST", headers: json, body: JSON.stringify({ acceptTerms: true, email, password, name: email.split("@")[0] }) })).json()) as { user: { id: string } };
  const { token } = (await (await fetch(`${base}/api/auth/login`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) })).json()) as { token: string };
  return { id: user.user.id, token };
}
const owner = await account("owner@example.com");
const reader = await account("reader@example.com");
const auth = (token: string) => ({ ...json, authorization: `Bearer ${token}` });
const business = ((await (await fetch(`${base}/api/businesses`, { method: "POST", headers: auth(owner.token), body: JSON.stringify({ name: "Profile Ltd", kind: "company" }) })).json()) as { business: { id: string } }).business;
const db = createClient({ url: config.DATABASE_URL });
await db.execute({ sql: "insert into business_members (business_id, user_id, role, joined_at) values (?, ?, 'member', ?)", args: [business.id, reader.id, Date.now()] });
db.close();
const conversation = ((await (await fetch(`${base}/api/conversations`, { method: "POST", headers: auth(owner.token), body: JSON.stringify({ type: "channel", name: "everyone", contextType: "business", contextId: business.id }) })).json()) as { conversation: { id: string } }).conversation;

const client = Bun.spawn([process.execPath, resolve(import.meta.dir, "sse-client.ts")], { stdout: "inherit", stderr: "inherit", ipc: (message: any) => answer?.(message) });
let answer: ((message: any) => void) | null = null;
const next = (send?: object) =>
  new Promise<any>((resolve) => {
    answer = (message) => {
      if (message.op === "arrived" && !message.complete) return;
      answer = null;
      resolve(message);
    };
    if (send) client.send(send);
  });
await next();

const post = async () => {
  const response = await fetch(`${base}/api/conversations/${conversation.id}/messages`, { method: "POST", headers: auth(owner.token), body: JSON.stringify({ text: "hello" }) });
  return ((await response.json()) as { message: { id: string } }).message.id;
};

// Warm-up: the code paths loaded and compiled before anything is measured.
await next({ op: "open", port, path: "/api/events", tokens: Array(50).fill(reader.token) });
for (let i = 0; i < 5; i++) {
  const arrived = next();
  await post();
  await arrived;
}
await next({ op: "close" });
await Bun.sleep(500);

const snapshot = () => {
  Bun.gc(true);
  const heap = heapStats();
  return { heap: heap.heapSize, counts: heap.objectTypeCounts, rss: process.memoryUsage().rss };
};
const before = snapshot();
const opened = await next({ op: "open", port, path: "/api/events", tokens: Array(streams).fill(reader.token) });
if (opened.open !== streams) throw new Error(`only ${opened.open} of ${streams} opened: ${opened.errors}`);
await Bun.sleep(1000);
const after = snapshot();
console.log(`${streams} idle streams: JS heap +${((after.heap - before.heap) / streams / 1024).toFixed(1)} KB a stream, RSS +${((after.rss - before.rss) / streams / 1024).toFixed(1)} KB a stream`);
const grown = Object.entries(after.counts)
  .map(([type, count]) => [type, count - (before.counts[type] ?? 0)] as const)
  .filter(([, delta]) => delta >= streams / 2)
  .sort((a, b) => b[1] - a[1]);
console.log("objects per stream (types that grew by at least half a stream's worth):");
for (const [type, delta] of grown.slice(0, 30)) console.log(`  ${type.padEnd(32)} ${(delta / streams).toFixed(1)}`);

const cpu0 = process.cpuUsage();
let total = 0;
for (let i = 0; i < messages; i++) {
  const arrived = next();
  const t0 = performance.now();
  await post();
  await arrived;
  total += performance.now() - t0;
  await Bun.sleep(50);
}
const cpu = process.cpuUsage(cpu0);
console.log(`${messages} messages to ${streams} streams: ${(total / messages).toFixed(1)} ms until the last stream (mean), server CPU ${((cpu.user + cpu.system) / 1000 / messages).toFixed(1)} ms a message (${(((cpu.user + cpu.system) / messages / streams)).toFixed(1)} µs a stream)`);

await next({ op: "close" });
client.send({ op: "exit" });
await client.exited;
server.stop(true);
deps.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
