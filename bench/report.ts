// Turns the wrk outputs collected by bench/run.sh into the results section of docs/performance.md.
//
//   bun bench/report.ts <results-dir> <markdown-file>
//
// <results-dir>/targets.tsv has one line per target: id, label, budget in ms (or "-"), budget name.
// Beside it: <id>.wrk (wrk --latency output), <id>.rss (VmRSS in kB after the load, or empty),
// and machine.env (KEY=value lines). Only the part between the bench markers is replaced.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

export interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
}

/** wrk prints durations as `812.00us`, `1.23ms`, `2.00s` or `1.00m`. */
export function durationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) throw new Error(`unreadable wrk duration: ${text}`);
  const value = Number(match[1]);
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2] as "us" | "ms" | "s" | "m"];
  return value * scale;
}

export function parseWrk(output: string): WrkResult {
  const need = (re: RegExp, what: string) => {
    const m = re.exec(output);
    if (!m) throw new Error(`wrk output has no ${what}:\n${output}`);
    return m;
  };
  const rps = Number(need(/^Requests\/sec:\s+([\d.]+)/m, "Requests/sec")[1]);
  const requests = Number(need(/^\s*(\d+) requests in /m, "request count")[1]);
  const p50 = durationMs(need(/^\s*50%\s+(\S+)/m, "50% latency (was --latency given?)")[1]!);
  const p99 = durationMs(need(/^\s*99%\s+(\S+)/m, "99% latency")[1]!);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const [connect, read, write, timeout] = sock ? sock.slice(1).map(Number) : [0, 0, 0, 0];
  return {
    requests,
    requestsPerSecond: rps,
    p50Ms: p50,
    p99Ms: p99,
    non2xx,
    socketErrors: { connect: connect!, read: read!, write: write!, timeout: timeout! },
  };
}

const ms = (v: number) => (v < 1 ? v.toFixed(3) : v < 10 ? v.toFixed(2) : v.toFixed(1));
const int = (v: number) => Math.round(v).toLocaleString("en-US");
const mib = (kb: number) => (kb / 1024).toFixed(1);

function verdict(r: WrkResult, budgetMs: number | null): string {
  const errors = r.non2xx + Object.values(r.socketErrors).reduce((a, b) => a + b, 0);
  if (errors > 0) return `not valid: ${errors} errors`;
  if (budgetMs === null) return "— (baseline)";
  return r.p99Ms < budgetMs ? `yes (p99 < ${budgetMs} ms)` : `**NO** (p99 ≥ ${budgetMs} ms)`;
}

function readEnv(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}

const INTRO = `# Performance

How fast the Bun server answers on this machine, measured with [wrk](https://github.com/wg/wrk).
The numbers below are written by the benchmark itself; do not edit between the bench markers.

## How to run

\`\`\`sh
npm run bench                    # 10 s per target
BENCH_SECONDS=30 npm run bench   # longer runs
\`\`\`

\`bench/run.sh\` starts the real server (\`src/runtime/bun.ts\`, \`NODE_ENV=production\`, \`RATE_LIMIT=off\`,
\`LOG_LEVEL=silent\`) on a free port with a fresh temporary database, registers and signs in one user,
has that user create a company (\`POST /api/businesses\`) and gives it \`BENCH_MEMBERS\` (default 50) more
members: \`bench/seed-members.ts\` registers them through the API and, as there is no JSON route that adds
a member directly, inserts their \`business_members\` rows into the same database file. Before the load it
checks that the workspace tabs answer with an htmx fragment (not the full page) listing the members, and
that the search finds a full page of 20. It then runs \`wrk -t1 -c50 -d<BENCH_SECONDS>s --latency\` against
each target (after a short warm-up, \`BENCH_WARMUP_SECONDS\`, default 2, not counted). A bare \`Bun.serve\`
hello world (\`bench/hello.ts\`) runs in the same session for comparison. RSS is \`VmRSS\` of the bun process itself, read right after
its load. wrk and the server share the same CPUs, so the figures are a floor, not a capacity plan.
The benchmark only reports; nothing fails on a slow figure.

## Budgets

- API and fragment responses: **p99 under 20 ms** at 50 connections on this 2-core machine.
- Authenticated JSON (session lookup on every request, e.g. \`GET /api/auth/me\`): **p99 under 10 ms**.
- The full \`/login\` page is held to the 20 ms budget too.
- A run with any non-2xx response or socket error does not count.

`;

if (import.meta.main) {
  const [dir, mdFile] = process.argv.slice(2);
  if (!dir || !mdFile) {
    console.error("usage: bun bench/report.ts <results-dir> <markdown-file>");
    process.exit(2);
  }
  const machine = readEnv(join(dir, "machine.env"));
  const rows: string[] = [];
  const summary: string[] = [];
  const targets = readFileSync(join(dir, "targets.tsv"), "utf8").split("\n").filter((line) => line.trim());
  // The bare hello world of the same run: each target's p99 is also given as a multiple of it (machines differ 4–6× from day to day).
  const helloFile = join(dir, "hello.wrk");
  const helloP99 = existsSync(helloFile) ? parseWrk(readFileSync(helloFile, "utf8")).p99Ms : null;
  for (const line of targets) {
    const [id, label, budget, budgetName] = line.split("\t") as [string, string, string, string];
    const r = parseWrk(readFileSync(join(dir, `${id}.wrk`), "utf8"));
    const ratio = helloP99 && id !== "hello" ? `×${(r.p99Ms / helloP99).toFixed(1)}` : "—";
    const rssText = existsSync(join(dir, `${id}.rss`)) ? readFileSync(join(dir, `${id}.rss`), "utf8").trim() : "";
    const rss = rssText ? `${mib(Number(rssText))} MiB` : "?";
    const budgetMs = budget === "-" ? null : Number(budget);
    const s = r.socketErrors;
    rows.push(
      `| ${label} | ${int(r.requestsPerSecond)} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${ratio} | ${r.non2xx} | ` +
        `${s.connect}/${s.read}/${s.write}/${s.timeout} | ${rss} | ${budgetMs === null ? "—" : `${budgetName} ${budgetMs} ms`} | ${verdict(r, budgetMs)} |`,
    );
    summary.push(`${label}: ${int(r.requestsPerSecond)} req/s, p50 ${ms(r.p50Ms)} ms, p99 ${ms(r.p99Ms)} ms, ${verdict(r, budgetMs)}`);
  }

  const section = [
    START,
    "## Results",
    "",
    `Measured ${machine.DATE} · ${machine.NPROC} CPUs (${machine.CPU}) · bun ${machine.BUN_VERSION} · ${machine.WRK_VERSION} · ${machine.KERNEL} · load average at start ${machine.LOAD_AT_START ?? "?"}`,
    "",
    `\`wrk -t1 -c50 -d${machine.SECONDS}s --latency\` per target, after a ${machine.WARMUP}s warm-up; latencies in ms.`,
    "",
    "| Target | Req/s | p50 | p99 | p99 ÷ hello p99 | Non-2xx | Socket errors (c/r/w/t) | Server RSS after | Budget | Meets budget |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ...rows,
    "",
    `Server RSS right after start (before any load): ${machine.RSS_IDLE_KB ? `${mib(Number(machine.RSS_IDLE_KB))} MiB` : "?"}. ` +
      "The app targets share one server process and run in the order listed, so each RSS figure includes what the " +
      "earlier targets left behind (freed memory is not always returned to the OS); the hello world is its own process.",
    END,
  ].join("\n");

  let text = existsSync(mdFile) ? readFileSync(mdFile, "utf8") : INTRO;
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a !== -1 && b > a) {
    text = text.slice(0, a) + section + text.slice(b + END.length);
  } else {
    text = `${text.trimEnd()}\n\n${section}\n`;
  }
  writeFileSync(mdFile, text);
  console.log(summary.join("\n"));
}
