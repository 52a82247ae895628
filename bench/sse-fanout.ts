// Live updates: SSE fan-out on one Bun process. N streams of GET /api/events (Bearer) held open over
// real TCP connections by separate client processes (bench/sse-client.ts); a chat message posted to
// a business channel every stream reads; the time from sending the POST to the `chat.message` event
// arriving on each stream (p50, p99, max over every stream × message); the server's RSS per idle
// stream; and the same with the message posted to a second instance on the same database file
// (which reaches the first one through its poll of the event log). A bare Bun.serve fan-out
// (bench/sse-hello.ts) is measured the same way in the same run for comparison.
//
//   bun bench/sse-fanout.ts                                    # 1,000 and 5,000 streams, prints the table
//   bun bench/sse-fanout.ts --output docs/performance.md       # and replaces its sse-fanout section
//
// BENCH_SSE_STREAMS (default "1000,5000"), BENCH_SSE_MESSAGES (20 per run), BENCH_SSE_CLIENTS
// (client processes, default 4), BENCH_SSE_STREAMS_PER_USER (50). Only talks to 127.0.0.1. Reports
// only: exits non-zero when the set-up fails (a sign-up, a stream refused), never on a slow figure.
import { createClient } from "@libsql/client";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { freePort, startServerProcess, type ServerProcess } from "../src/test/server-process";

const ROOT = resolve(import.meta.dir, "..");
const START = "<!-- sse-fanout:start -->";
const END = "<!-- sse-fanout:end -->";

const args = process.argv.slice(2);
const outputAt = args.indexOf("--output");
const output = outputAt >= 0 ? args[outputAt + 1] : undefined;
const COUNTS = (process.env.BENCH_SSE_STREAMS || "1000,5000").split(",").map(Number);
const MESSAGES = Number(process.env.BENCH_SSE_MESSAGES || 20);
const CLIENTS = Number(process.env.BENCH_SSE_CLIENTS || 4);
const PER_USER = Number(process.env.BENCH_SSE_STREAMS_PER_USER || 50);
if (COUNTS.some((n) => !Number.isInteger(n) || n < 1) || !(MESSAGES >= 1) || !(CLIENTS >= 1) || !(PER_USER >= 1 && PER_USER <= 1000)) {
  console.error("bench/sse-fanout: BENCH_SSE_STREAMS must be whole numbers (comma-separated), BENCH_SSE_MESSAGES and BENCH_SSE_CLIENTS above 0, BENCH_SSE_STREAMS_PER_USER 1–1000");
  process.exit(2);
}
const WARMUP_MESSAGES = 2;
/** How long one message may take to reach every stream before the missing ones count as lost. */
const ARRIVAL_TIMEOUT_MS = 10_000;

const now = () => performance.timeOrigin + performance.now();
const say = (text: string) => console.error(`bench/sse-fanout: ${text}`);
const die = (text: string): never => {
  say(text);
  throw new Error(text);
};

function rssKb(pid: number): number {
  return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
}
/** CPU time (user + system) the process has used, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 1/100 s on Linux
}
function fdLimit(pid: number): string {
  return /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync(`/proc/${pid}/limits`, "utf8"))?.slice(1).join("/") ?? "?";
}
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : NaN);

// --- the client processes ------------------------------------------------------------------------

interface Client {
  proc: Subprocess;
  waiting: Map<string, (message: any) => void>;
  /** Answers that came before anyone asked (an event can beat the POST's own answer). */
  early: Map<string, unknown>;
}

function startClient(): Promise<Client> {
  const client: Client = { proc: null as unknown as Subprocess, waiting: new Map(), early: new Map() };
  return new Promise((ready) => {
    client.waiting.set("ready", () => ready(client));
    client.proc = Bun.spawn([process.execPath, join(ROOT, "bench/sse-client.ts")], {
      cwd: ROOT,
      stdout: "inherit",
      stderr: "inherit",
      ipc(message: { op: string; messageId?: string }) {
        const key = message.op === "arrived" ? `arrived:${message.messageId}` : message.op;
        const waiter = client.waiting.get(key);
        client.waiting.delete(key);
        if (waiter) waiter(message);
        else client.early.set(key, message);
      },
    });
  });
}

function ask<T>(client: Client, key: string, message: object | null): Promise<T> {
  return new Promise((answer) => {
    if (client.early.has(key)) {
      answer(client.early.get(key) as T);
      client.early.delete(key);
      return;
    }
    client.waiting.set(key, answer as (message: any) => void);
    if (message) client.proc.send(message);
  });
}

// --- a target: the app, or the bare baseline --------------------------------------------------

interface Target {
  port: number;
  pid: number;
  /** Sends one message; resolves to its id once the POST has answered. */
  post(via: "same" | "other"): Promise<string>;
}

interface Run {
  label: string;
  streams: number;
  opened: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  same: Latency;
  other: Latency | null;
  cpuPerMessageMs: number;
  endedEarly: number;
}

interface Latency {
  p50: number;
  p99: number;
  max: number;
  /** p50 over messages of the time to the last stream. */
  lastP50: number;
  postP50: number;
  lost: number;
  messages: number;
}

async function sendAndWait(clients: Client[], target: Target, via: "same" | "other") {
  const t0 = now();
  const pending = new Map<Client, Promise<{ times: number[]; complete: boolean }>>();
  // The arrival answers are keyed by message id, known only once the POST answers; events that
  // arrive before that are kept by the clients and reported all the same.
  const messageId = await target.post(via);
  const postMs = now() - t0;
  for (const client of clients) pending.set(client, ask(client, `arrived:${messageId}`, null));
  const timeout = setTimeout(() => {
    for (const client of clients) client.proc.send({ op: "report", messageId });
  }, ARRIVAL_TIMEOUT_MS);
  const answers = await Promise.all(pending.values());
  clearTimeout(timeout);
  return { postMs, latencies: answers.flatMap((answer) => answer.times.map((t) => t - t0)) };
}

async function measure(clients: Client[], target: Target, via: "same" | "other", streams: number): Promise<Latency> {
  for (let i = 0; i < WARMUP_MESSAGES; i++) await sendAndWait(clients, target, via);
  const all: number[] = [];
  const lasts: number[] = [];
  const posts: number[] = [];
  let lost = 0;
  for (let i = 0; i < MESSAGES; i++) {
    const { postMs, latencies } = await sendAndWait(clients, target, via);
    all.push(...latencies);
    lasts.push(Math.max(...latencies));
    posts.push(postMs);
    lost += streams - latencies.length;
    // Messages do not overlap; a short pause lets the event loops settle between them.
    await Bun.sleep(via === "other" ? 50 + Math.random() * 500 : 100);
  }
  all.sort((a, b) => a - b);
  lasts.sort((a, b) => a - b);
  posts.sort((a, b) => a - b);
  return { p50: percentile(all, 50), p99: percentile(all, 99), max: all.at(-1) ?? NaN, lastP50: percentile(lasts, 50), postP50: percentile(posts, 50), lost, messages: MESSAGES };
}

async function openStreams(label: string, clients: Client[], target: Target, streams: number, tokens: string[]) {
  const share = Math.ceil(streams / clients.length);
  const opened = await Promise.all(
    clients.map((client, c) => {
      const mine: string[] = [];
      for (let i = c * share; i < Math.min(streams, (c + 1) * share); i++) mine.push(tokens[Math.floor(i / PER_USER)]!);
      return ask<{ open: number; failed: number; errors: string[] }>(client, "opened", { op: "open", port: target.port, path: "/api/events", tokens: mine });
    }),
  );
  const open = opened.reduce((sum, o) => sum + o.open, 0);
  if (open !== streams) die(`${label}: ${open} of ${streams} streams opened; errors: ${opened.flatMap((o) => o.errors).join("; ")}`);
  return open;
}

/** Opens a few streams, sends a few messages and closes them, so the code paths are loaded before memory is read. */
async function warmUp(label: string, clients: Client[], target: Target, tokens: string[]) {
  await openStreams(`${label} (warm-up)`, clients, target, Math.min(200, tokens.length * PER_USER), tokens);
  await measure(clients, target, "same", Math.min(200, tokens.length * PER_USER));
  await Promise.all(clients.map((client) => ask(client, "closed", { op: "close" })));
}

async function runOnce(label: string, clients: Client[], target: Target, streams: number, tokens: string[], crossInstance: boolean): Promise<Run> {
  await Bun.sleep(2000);
  const rssBeforeKb = rssKb(target.pid);
  say(`${label}: opening ${streams} streams (${clients.length} client processes)`);
  const open = await openStreams(label, clients, target, streams, tokens);
  // Idle: let the server settle (GC, buffers) before reading its memory.
  await Bun.sleep(3000);
  const rssAfterKb = rssKb(target.pid);
  say(`${label}: ${open} streams open; RSS ${(rssBeforeKb / 1024).toFixed(1)} → ${(rssAfterKb / 1024).toFixed(1)} MiB; posting ${MESSAGES} messages`);
  const cpu0 = cpuMs(target.pid);
  const same = await measure(clients, target, "same", streams);
  const cpuPerMessageMs = (cpuMs(target.pid) - cpu0) / (MESSAGES + WARMUP_MESSAGES);
  say(`${label}: same instance p50 ${same.p50.toFixed(1)} ms, p99 ${same.p99.toFixed(1)} ms, lost ${same.lost}`);
  let other: Latency | null = null;
  if (crossInstance) {
    other = await measure(clients, target, "other", streams);
    say(`${label}: cross-instance p50 ${other.p50.toFixed(1)} ms, p99 ${other.p99.toFixed(1)} ms, lost ${other.lost}`);
  }
  const closed = await Promise.all(clients.map((client) => ask<{ endedEarly: number }>(client, "closed", { op: "close" })));
  return { label, streams, opened: open, rssBeforeKb, rssAfterKb, same, other, cpuPerMessageMs, endedEarly: closed.reduce((sum, c) => sum + c.endedEarly, 0) };
}

// --- the app's set-up: users, a business, its channel ------------------------------------------

async function json(response: Response, want: number, what: string): Promise<any> {
  const text = await response.text();
  if (response.status !== want) die(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function account(baseUrl: string, email: string, name: string, password: string): Promise<{ id: string; token: string }> {
  const headers = { "content-type": "application/json", origin: baseUrl };
  const registered = await json(await fetch(`${baseUrl}/api/auth/register`, { method: "POST", headers, body: JSON.stringify({ acceptTerms: true, email, password, name }) }), 201, `register ${email}`);
  const login = await json(await fetch(`${baseUrl}/api/auth/login`, { method: "POST", headers, body: JSON.stringify({ email, password }) }), 200, `login ${email}`);
  return { id: registered.user.id, token: login.token };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });

// --- the run ----------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), "bench-sse-"));
const databaseUrl = `file:${join(dir, "app.db")}`;
const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(" ");
const maxStreams = Math.max(...COUNTS);
const env = { LOG_LEVEL: "silent", EVENT_STREAMS_PER_USER: String(Math.min(1000, PER_USER)) };

try {
  say(`database ${databaseUrl}; fd limit of this process ${fdLimit(process.pid)}`);
  const a: ServerProcess = await startServerProcess({ databaseUrl, env });
  cleanups.unshift(() => a.stop());
  // The second instance starts after the first has migrated the file.
  const b: ServerProcess = await startServerProcess({ databaseUrl, env });
  cleanups.unshift(() => b.stop());
  say(`instance A pid ${a.pid} at ${a.baseUrl}, instance B pid ${b.pid} at ${b.baseUrl}; server fd limit ${fdLimit(a.pid)}`);
  const softLimit = Number(fdLimit(a.pid).split("/")[0]);
  if (softLimit < maxStreams + 1000) say(`warning: the server may open ${softLimit} files; ${maxStreams} streams need more (ulimit -n 65536 before running)`);

  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const password = `quiet river stones ${crypto.randomUUID()}`;
  const owner = await account(a.baseUrl, `bench-owner-${tag}@example.com`, "Bench Owner", password);
  const business = (await json(await fetch(`${a.baseUrl}/api/businesses`, { method: "POST", headers: bearer(owner.token), body: JSON.stringify({ name: "Fan-out Ltd", kind: "company" }) }), 201, "create business")).business;

  const userCount = Math.ceil(maxStreams / PER_USER);
  say(`registering ${userCount} users (${PER_USER} streams each at most)`);
  const members: { id: string; token: string }[] = new Array(userCount);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < userCount) {
        const i = next++;
        members[i] = await account(a.baseUrl, `bench-reader-${i}-${tag}@example.com`, `Reader ${i}`, password);
      }
    }),
  );
  // No JSON route adds a member directly (invitations need the invitee's mailed link): their
  // business_members rows go straight into the same database file, as bench/seed-members.ts does.
  const db = createClient({ url: databaseUrl });
  try {
    await db.execute("PRAGMA busy_timeout = 5000");
    const joinedAt = Date.now();
    await db.batch(
      members.map((member, i) => ({ sql: "insert into business_members (business_id, user_id, role, joined_at) values (?, ?, 'member', ?)", args: [business.id, member.id, joinedAt + i] })),
      "write",
    );
  } finally {
    db.close();
  }
  const conversation = (
    await json(
      await fetch(`${a.baseUrl}/api/conversations`, { method: "POST", headers: bearer(owner.token), body: JSON.stringify({ type: "channel", name: "everyone", contextType: "business", contextId: business.id }) }),
      201,
      "create channel",
    )
  ).conversation;
  // A reader sees the channel (through either instance), so its stream carries the channel.
  await json(await fetch(`${b.baseUrl}/api/conversations/${conversation.id}`, { headers: bearer(members.at(-1)!.token) }), 200, "a reader opening the channel");
  say(`business ${business.id} with ${userCount + 1} members; channel ${conversation.id}`);

  const clients = await Promise.all(Array.from({ length: CLIENTS }, startClient));
  cleanups.unshift(async () => {
    for (const client of clients) client.proc.kill();
    await Promise.all(clients.map((client) => client.proc.exited));
  });

  let sequence = 0;
  const app: Target = {
    port: Number(new URL(a.baseUrl).port),
    pid: a.pid,
    async post(via) {
      const base = via === "same" ? a.baseUrl : b.baseUrl;
      const body = await json(
        await fetch(`${base}/api/conversations/${conversation.id}/messages`, { method: "POST", headers: bearer(owner.token), body: JSON.stringify({ text: `fan-out ${++sequence}` }) }),
        201,
        "post a message",
      );
      return body.message.id as string;
    },
  };
  const tokens = members.map((member) => member.token);
  const runs: Run[] = [];
  await warmUp("app", clients, app, tokens);
  for (const n of COUNTS) runs.push(await runOnce(`app, ${n} streams`, clients, app, n, tokens, true));

  // --- the bare baseline, same clients, same measurement ---
  const helloPort = freePort();
  const hello = Bun.spawn([process.execPath, join(ROOT, "bench/sse-hello.ts")], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", PORT: String(helloPort) }, stdout: "ignore", stderr: "inherit" });
  cleanups.unshift(async () => {
    hello.kill("SIGTERM");
    await hello.exited;
  });
  for (let attempt = 0; !(await fetch(`http://127.0.0.1:${helloPort}/health`).then((r) => r.ok, () => false)); attempt++) {
    if (attempt > 100) die("the bare baseline did not start");
    await Bun.sleep(100);
  }
  const bare: Target = {
    port: helloPort,
    pid: hello.pid,
    async post() {
      return (await json(await fetch(`http://127.0.0.1:${helloPort}/publish`, { method: "POST" }), 201, "publish")).message.id as string;
    },
  };
  const baselines: Run[] = [];
  const noTokens = Array.from({ length: Math.ceil(maxStreams / PER_USER) }, () => "none");
  await warmUp("bare Bun.serve", clients, bare, noTokens);
  for (const n of COUNTS) baselines.push(await runOnce(`bare Bun.serve, ${n} streams`, clients, bare, n, noTokens, false));

  for (const client of clients) client.proc.send({ op: "exit" });

  const report = format(runs, baselines, { serverFds: fdLimit(a.pid), loadAtStart });
  console.log(report);
  if (output) {
    const file = resolve(output);
    const current = existsSync(file) ? readFileSync(file, "utf8") : "";
    const section = `${START}\n${report}\n${END}`;
    const from = current.indexOf(START);
    const to = current.indexOf(END);
    writeFileSync(file, from >= 0 && to > from ? current.slice(0, from) + section + current.slice(to + END.length) : `${current.trimEnd()}\n\n${section}\n`);
    say(`wrote ${file}`);
  }
} finally {
  for (const cleanup of cleanups) await cleanup();
}

// --- the report ---------------------------------------------------------------------------------

function format(runs: Run[], baselines: Run[], machine: { serverFds: string; loadAtStart: string }): string {
  const ms = (value: number) => (Number.isNaN(value) ? "—" : value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString("en-GB"));
  const kbPerStream = (run: Run) => (run.rssAfterKb - run.rssBeforeKb) / run.streams;
  const kb = (value: number) => value.toFixed(1);
  const meets = (ok: boolean, text: string) => (ok ? `yes (${text})` : `**no** (${text})`);
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const lines = [
    "## Live updates (SSE fan-out) — results",
    "",
    `Measured ${date} UTC · ${cpus().length} CPUs (${cpu}) · bun ${Bun.version} · Linux · load average at start ${machine.loadAtStart} · open files limit (soft/hard) of the server ${machine.serverFds}.`,
    "",
    `${MESSAGES} messages per row (after ${WARMUP_MESSAGES} not counted), one at a time; each latency is from sending the POST to the \`chat.message\` event arriving on one stream, over every stream × message (ms).`,
    `"Last stream" is the median over messages of the time until the last stream had it. ${CLIENTS} client processes hold the streams (${PER_USER} per user) on the same 2 CPUs as the server.`,
    "",
    "| Run | Streams | p50 | p99 | Max | Last stream (p50) | POST answered (p50) | Lost | Server CPU per message | RSS before → after | Per idle stream | Targets |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const run of runs) {
    const per = kbPerStream(run);
    const targets = [run.streams <= 1000 ? meets(run.same.p99 < 100, "p99 < 100 ms") : `p99 ${run.same.p99 < 100 ? "<" : "≥"} 100 ms (target is for 1,000)`, meets(per < 20, "< 20 KB a stream")];
    lines.push(
      `| App, posted to the same instance | ${run.streams.toLocaleString("en-GB")} | ${ms(run.same.p50)} | ${ms(run.same.p99)} | ${ms(run.same.max)} | ${ms(run.same.lastP50)} | ${ms(run.same.postP50)} | ${run.same.lost} | ${ms(run.cpuPerMessageMs)} ms | ${(run.rssBeforeKb / 1024).toFixed(1)} → ${(run.rssAfterKb / 1024).toFixed(1)} MiB | ${kb(per)} KB | ${targets.join("; ")} |`,
    );
    if (run.other) {
      lines.push(
        `| App, posted to a second instance | ${run.streams.toLocaleString("en-GB")} | ${ms(run.other.p50)} | ${ms(run.other.p99)} | ${ms(run.other.max)} | ${ms(run.other.lastP50)} | ${ms(run.other.postP50)} | ${run.other.lost} | — | — | — | ${meets(run.other.p99 < 1000, "p99 < 1 s")} |`,
      );
    }
  }
  for (const run of baselines) {
    lines.push(
      `| Bare Bun.serve fan-out (baseline) | ${run.streams.toLocaleString("en-GB")} | ${ms(run.same.p50)} | ${ms(run.same.p99)} | ${ms(run.same.max)} | ${ms(run.same.lastP50)} | ${ms(run.same.postP50)} | ${run.same.lost} | ${ms(run.cpuPerMessageMs)} ms | ${(run.rssBeforeKb / 1024).toFixed(1)} → ${(run.rssAfterKb / 1024).toFixed(1)} MiB | ${kb(kbPerStream(run))} KB | — (baseline) |`,
    );
  }
  lines.push("");
  for (const run of runs) {
    const base = baselines.find((b) => b.streams === run.streams);
    if (!base) continue;
    lines.push(
      `- ${run.streams.toLocaleString("en-GB")} streams, app ÷ bare: p50 ×${(run.same.p50 / base.same.p50).toFixed(1)}, p99 ×${(run.same.p99 / base.same.p99).toFixed(1)}, memory per stream ×${(kbPerStream(run) / kbPerStream(base)).toFixed(1)}.`,
    );
  }
  const early = [...runs, ...baselines].reduce((sum, run) => sum + run.endedEarly, 0);
  lines.push(`- Streams that ended during a run: ${early}.`);
  return lines.join("\n");
}
