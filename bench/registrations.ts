// Sign-ups per second: POST /api/auth/register at a fixed number in flight, first all into one town
// (every sign-up takes the next serial of one Block ID prefix) and then spread over every starter
// town, with the serials checked afterwards (consecutive per prefix, none repeated, none skipped).
//
//   bun bench/registrations.ts                          # starts its own production server on a fresh database
//   bun bench/registrations.ts --base-url http://127.0.0.1:3000   # a running server (RATE_LIMIT=off)
//   bun bench/registrations.ts --count 400 --concurrency 100 --output docs/performance.md
//
// BENCH_REGISTRATIONS and BENCH_REGISTRATION_CONCURRENCY set the defaults (200 and 50). With
// --output it replaces what is between the registrations markers of that Markdown file. Only talks
// to 127.0.0.1 (or the given base URL). Exits non-zero when a sign-up fails or the serials are wrong;
// never on a slow figure.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { ARGON2ID_PARAMS } from "../src/lib/password";
import { bunPasswordHasher } from "../src/runtime/bun-password";
import { startServerProcess } from "../src/test/server-process";

const START = "<!-- registrations:start -->";
const END = "<!-- registrations:end -->";
const BLOCK_ID = /^(\d{1,4}-\d{3}-\d{3})-(\d{6})$/;

interface Options {
  baseUrl: string | null;
  count: number;
  concurrency: number;
  output: string | null;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    baseUrl: null,
    count: Number(process.env.BENCH_REGISTRATIONS || 200),
    concurrency: Number(process.env.BENCH_REGISTRATION_CONCURRENCY || 50),
    output: null,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) usage(`${flag} needs a value`);
    if (flag === "--base-url") options.baseUrl = value.replace(/\/+$/, "");
    else if (flag === "--count") options.count = Number(value);
    else if (flag === "--concurrency") options.concurrency = Number(value);
    else if (flag === "--output") options.output = value;
    else usage(`unknown option ${flag}`);
  }
  if (!Number.isInteger(options.count) || options.count < 1) usage("the count must be a whole number above 0");
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) usage("the concurrency must be a whole number above 0");
  return options;
}

function usage(problem: string): never {
  console.error(`bench/registrations: ${problem}`);
  console.error("usage: bun bench/registrations.ts [--base-url URL] [--count N] [--concurrency C] [--output FILE.md]");
  process.exit(2);
}

// --- the server -------------------------------------------------------------------------------

/** The production server on a free loopback port over a fresh database file, as bench/run.sh starts it. */
const startServer = () => startServerProcess({ env: { LOG_LEVEL: "silent" } });

// --- the towns, read from the location pickers (what any running server serves) ---------------

interface Town {
  id: string;
  label: string;
  /** `<calling code>-<region code>-<town code>`: what every Block ID issued there starts with. */
  prefix: string;
}

interface Choice {
  id: string;
  name: string;
  code: string;
}

async function pickerChoices(baseUrl: string, query: Record<string, string>, select: "countryId" | "regionId" | "townId"): Promise<Choice[]> {
  const url = `${baseUrl}/location/pickers?${new URLSearchParams({ form: "bench", ...query })}`;
  const response = await fetch(url);
  const html = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${html.slice(0, 300)}`);
  const body = new RegExp(`<select[^>]*name="${select}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? "";
  // Countries are labelled "Name (+44)", regions and towns "Name (001)".
  return [...body.matchAll(/<option value="([^"]+)"[^>]*>([^<]*)\((\+?\d+)\)<\/option>/g)].map((m) => ({
    id: m[1]!,
    name: m[2]!.trim().replace(/&amp;/g, "&"),
    code: m[3]!.replace("+", ""),
  }));
}

/** Every town of the starter countries, with the prefix its Block IDs must have. */
async function starterTowns(baseUrl: string): Promise<Town[]> {
  const countries = await pickerChoices(baseUrl, {}, "countryId");
  const found: Town[] = [];
  for (const countryId of ["GB", "US", "DE", "NG", "IN"]) {
    const country = countries.find((c) => c.id === countryId);
    if (!country) continue;
    for (const region of await pickerChoices(baseUrl, { countryId }, "regionId")) {
      for (const town of await pickerChoices(baseUrl, { countryId, regionId: region.id }, "townId")) {
        found.push({ id: town.id, label: `${town.name}, ${region.name}, ${countryId}`, prefix: `${country.code}-${region.code}-${town.code}` });
      }
    }
  }
  return found;
}

// --- the load ---------------------------------------------------------------------------------

interface Outcome {
  town: Town;
  status: number;
  body: string;
  ms: number;
}

function signUp(baseUrl: string, email: string, password: string, location: Record<string, string>) {
  return fetch(`${baseUrl}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ acceptTerms: true, email, password, name: "Bench Sign-up", ...location }),
  });
}

async function registerAll(baseUrl: string, towns: Town[], count: number, concurrency: number, tag: string) {
  const outcomes: Outcome[] = new Array(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const town = towns[i % towns.length]!;
        const t0 = performance.now();
        const response = await signUp(baseUrl, `bench-signup-${tag}-${i}@example.com`, `quiet river stones ${tag} ${i}`, { townId: town.id });
        const body = await response.text();
        outcomes[i] = { town, status: response.status, body, ms: performance.now() - t0 };
      }
    }),
  );
  return { outcomes, seconds: (performance.now() - started) / 1000 };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

interface RunResult {
  label: string;
  count: number;
  concurrency: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
  serials: string;
  problems: string[];
}

/** Checks every answer: 201, a Block ID with its town's prefix, and per prefix serials first..last with no gap or repeat. */
function judge(label: string, concurrency: number, run: { outcomes: Outcome[]; seconds: number }, mustStartAtOne: boolean): RunResult {
  const problems: string[] = [];
  const failed = run.outcomes.filter((o) => o.status !== 201);
  for (const o of failed.slice(0, 5)) problems.push(`answered ${o.status}: ${o.body.slice(0, 200)}`);
  const byPrefix = new Map<string, number[]>();
  for (const o of run.outcomes) {
    if (o.status !== 201) continue;
    const blockId = (JSON.parse(o.body) as { user?: { blockId?: unknown } }).user?.blockId;
    const match = typeof blockId === "string" ? BLOCK_ID.exec(blockId) : null;
    if (!match) {
      problems.push(`no Block ID in ${o.body.slice(0, 200)}`);
      continue;
    }
    if (match[1] !== o.town.prefix) problems.push(`${blockId} issued in ${o.town.label}, whose prefix is ${o.town.prefix}`);
    byPrefix.set(match[1]!, [...(byPrefix.get(match[1]!) ?? []), Number(match[2])]);
  }
  const ranges: string[] = [];
  for (const [prefix, serials] of byPrefix) {
    serials.sort((a, b) => a - b);
    const first = serials[0]!;
    const last = serials.at(-1)!;
    const repeated = serials.length - new Set(serials).size;
    if (repeated > 0) problems.push(`${prefix}: ${repeated} serials issued twice`);
    if (last - first + 1 !== serials.length) problems.push(`${prefix}: ${serials.length} serials span ${first}..${last} (a gap)`);
    if (mustStartAtOne && first !== 1) problems.push(`${prefix}: a fresh database's first serial is ${first}, not 1`);
    ranges.push(`${first}–${last}`);
  }
  const latencies = run.outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const serials = byPrefix.size === 1 ? `consecutive, ${ranges[0]}` : `consecutive in each of ${byPrefix.size} prefixes`;
  return {
    label,
    count: run.outcomes.length,
    concurrency,
    perSecond: run.outcomes.length / run.seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1)!,
    failed: failed.length,
    serials: problems.length ? "**wrong**" : serials,
    problems,
  };
}

/** What the password hash alone costs in this process: one at a time, and `concurrency` in flight. */
async function hashCost(concurrency: number) {
  const rounds = 10;
  let t0 = performance.now();
  for (let i = 0; i < rounds; i++) await bunPasswordHasher.hash(`hash cost ${i}`);
  const oneMs = (performance.now() - t0) / rounds;
  const many = Math.max(concurrency * 2, 40);
  t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < many) await bunPasswordHasher.hash(`hash cost ${next++}`);
    }),
  );
  return { oneMs, perSecond: many / ((performance.now() - t0) / 1000) };
}

// --- the report -------------------------------------------------------------------------------

const fixed = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString("en-US"));

function section(results: RunResult[], hash: { oneMs: number; perSecond: number }, where: string, loadAtStart: string): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  return [
    START,
    "## Registrations",
    "",
    `Measured ${date} UTC · ${cpus().length} CPUs (${cpu}) · bun ${Bun.version} · load average at start ${loadAtStart} · \`bench/registrations.ts\` against ${where}.`,
    "",
    "`POST /api/auth/register` (JSON, each with a `townId`); every answer is checked: 201, a Block ID with its town's prefix,",
    "and per prefix the serials consecutive with none repeated. Latencies in ms, from sending the request to the end of the answer.",
    "",
    "| Run | Sign-ups | In flight | Sign-ups/s | p50 | p99 | Max | Non-201 | Serials |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ...results.map((r) => `| ${r.label} | ${r.count} | ${r.concurrency} | ${fixed(r.perSecond)} | ${fixed(r.p50)} | ${fixed(r.p99)} | ${fixed(r.max)} | ${r.failed} | ${r.serials} |`),
    "",
    `**A sign-up's cost is dominated by Argon2id**: each one hashes its password (\`Bun.password\`, m=${Math.round(ARGON2ID_PARAMS.memoryKiB / 1024)} MiB,`,
    `t=${ARGON2ID_PARAMS.iterations}, p=${ARGON2ID_PARAMS.parallelism}) before its transaction, and the hashes share the CPUs. Measured just before the runs, in the`,
    `bench process alone: one hash ${fixed(hash.oneMs)} ms; ${fixed(hash.perSecond)} hashes/s with ${results[0]?.concurrency ?? "?"} in flight. Issuing the Block ID is one counter`,
    "upsert and one insert in the registration's write transaction, so one town or many makes little difference. The bench",
    "client and the server share the CPUs, and other work on the machine moves these figures a lot (see the load average).",
    END,
  ].join("\n");
}

/** Replaces what is between the markers; a file without them gets the section at its end. */
function writeSection(file: string, text: string) {
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  const a = current.indexOf(START);
  const b = current.indexOf(END);
  const updated = a !== -1 && b > a ? current.slice(0, a) + text + current.slice(b + END.length) : `${current.trimEnd()}\n\n${text}\n`;
  writeFileSync(file, updated);
}

// --- main -------------------------------------------------------------------------------------

const options = parseOptions(process.argv.slice(2));
const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(" ");
const own = options.baseUrl ? null : await startServer();
const baseUrl = options.baseUrl ?? own!.baseUrl;
let exitCode = 0;
try {
  const towns = await starterTowns(baseUrl);
  const london = towns.find((t) => t.label === "London, England, GB");
  if (!london) throw new Error(`${baseUrl} has no London, England in its location pickers (a starter town)`);
  if (towns.length < 2) throw new Error(`${baseUrl} has only ${towns.length} starter towns`);
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const { count, concurrency } = options;
  console.log(`bench/registrations: ${count} sign-ups at ${concurrency} in flight against ${baseUrl}`);

  // Warm-up, not counted: a few sign-ups in Germany's unassigned town, away from the measured towns.
  for (let i = 0; i < 5; i++) {
    const response = await signUp(baseUrl, `bench-warm-${tag}-${i}@example.com`, `quiet river warm ${tag} ${i}`, { countryId: "DE" });
    if (response.status !== 201) throw new Error(`a warm-up sign-up answered ${response.status}: ${(await response.text()).slice(0, 300)} (is RATE_LIMIT=off?)`);
  }
  const hash = await hashCost(concurrency);

  const results = [
    judge(`One town (${london.label}, ${london.prefix})`, concurrency, await registerAll(baseUrl, [london], count, concurrency, `${tag}-one`), own !== null),
    judge(`Spread over ${towns.length} towns`, concurrency, await registerAll(baseUrl, towns, count, concurrency, `${tag}-spread`), false),
  ];
  for (const r of results) {
    console.log(`${r.label}: ${fixed(r.perSecond)} sign-ups/s, p50 ${fixed(r.p50)} ms, p99 ${fixed(r.p99)} ms, max ${fixed(r.max)} ms, ${r.failed} failed, serials ${r.serials}`);
    for (const problem of r.problems) console.error(`  problem: ${problem}`);
  }
  console.log(`one Argon2id hash ${fixed(hash.oneMs)} ms; ${fixed(hash.perSecond)} hashes/s with ${concurrency} in flight (this process alone)`);
  if (results.some((r) => r.problems.length > 0)) {
    exitCode = 1;
  } else if (options.output) {
    const where = own ? "its own production server on a fresh database file" : `the server at ${baseUrl}`;
    writeSection(options.output, section(results, hash, where, loadAtStart));
    console.log(`bench/registrations: wrote ${options.output}`);
  }
} catch (error) {
  console.error(`bench/registrations: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await own?.stop();
}
process.exit(exitCode);
