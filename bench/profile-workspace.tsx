// In-process timing of the workspace tab fragments and the user search, one request at a time: where
// does a request's time go? Not part of `npm run bench`; run it by hand when a figure misses its budget.
//
//   TZ=UTC NODE_ENV=production bun bench/profile-workspace.tsx [members=50] [iterations=300]
//
// NODE_ENV=production in the environment (as bench/run.sh gives the server) so that JSX compiles to the
// production runtime, not jsxDEV.
//
// Builds the real Bun deps and app on a fresh temporary database, seeds one owner and <members>
// members as bench/run.sh does, then times (a) whole requests through the app's fetch (no network),
// and (b) each step those handlers take, called directly, and the raw SQL through @libsql/client.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { MembersPanel } from "../views/members/MembersPanel";
import { WorkspaceFragment } from "../views/workspace/WorkspacePage";
import { parseConfig } from "../src/config";
import { validateSessionToken } from "../src/features/auth";
import { requireMembership } from "../src/features/workspace/access";
import { loadModuleConfig, visibleModules } from "../src/features/workspace/module-config";
import { listMembers } from "../src/features/workspace/members";
import { loadMembersPanel } from "../src/features/workspace/members-tab";
import { userSearchInput } from "../src/features/workspace/input";
import { searchUsers } from "../src/features/workspace/member-search";
import { businessOverview } from "../src/features/workspace/service";
import { buildBunDeps, withStatic } from "../src/runtime/bun";
import { ConnectionPool } from "@libsql/client/sqlite3";

// Counts the statements @libsql/client runs and the time spent in the driver for each: from the
// connection's prepare() to the pool getting the connection back, a stretch that runs synchronously
// (so statements started together by Promise.all do not count each other's time). That splits a
// request's time into "the driver" (prepare or statement cache, step, row conversion) and everything
// else. src/db/client.ts gives each pooled connection its own caching prepare() (an own property)
// when the pool first hands it out, so the hook wraps that one, once per connection, after the deps
// are built: a prototype hook would only see the statements that miss the cache.
const driver = { calls: 0, us: 0 };
let started = 0;
function countStatements() {
  const timed = new WeakSet<object>();
  const acquireSync = ConnectionPool.prototype.acquireSync;
  ConnectionPool.prototype.acquireSync = function (this: ConnectionPool, ...args: Parameters<typeof acquireSync>) {
    const connection = acquireSync.apply(this, args) as unknown as { prepare: (...a: unknown[]) => unknown };
    if (!timed.has(connection)) {
      timed.add(connection);
      const prepare = connection.prepare;
      connection.prepare = function (this: unknown, ...a: unknown[]) {
        started = performance.now();
        return prepare.apply(this, a);
      };
    }
    return connection as never;
  } as typeof acquireSync;
  const release = ConnectionPool.prototype.release;
  ConnectionPool.prototype.release = function (this: ConnectionPool, ...args: Parameters<typeof release>) {
    if (started) {
      driver.calls++;
      driver.us += (performance.now() - started) * 1000;
      started = 0;
    }
    return release.apply(this, args);
  } as typeof release;
}

const MEMBERS = Number(process.argv[2] ?? 50);
const N = Number(process.argv[3] ?? 300);
const dir = mkdtempSync(join(tmpdir(), "bench-profile-"));
const config = parseConfig({ ...process.env, NODE_ENV: "production", PUBLIC_URL: "http://127.0.0.1", SECRET_KEYS: `bench:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`, RATE_LIMIT: "off", LOG_LEVEL: "silent", DATABASE_URL: `file:${join(dir, "profile.db")}` });
const deps = await buildBunDeps(config);
countStatements();
const site = withStatic(deps);
const ORIGIN = "http://127.0.0.1";
const req = (path: string, init: RequestInit = {}) => site.fetch(new Request(`${ORIGIN}${path}`, init));

async function register(email: string, name: string): Promise<string> {
  const r = await req("/api/auth/register", {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN },
    body: JSON.stringify({ acceptTerms: true, email, password: "profile-password-123456", name }),
  });
  if (r.status !== 201) throw new Error(`register: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { user: { id: string } }).user.id;
}

const ownerId = await register("owner@example.com", "Bench User");
const login = await req("/api/auth/login", {
  method: "POST",
  headers: { "content-type": "application/json", origin: ORIGIN },
  body: JSON.stringify({ email: "owner@example.com", password: "profile-password-123456" }),
});
const token = ((await login.json()) as { token: string }).token;
const auth = { authorization: `Bearer ${token}` };
const created = await req("/api/businesses", { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ name: "Bench Ltd", kind: "company" }) });
const businessId = ((await created.json()) as { business: { id: string } }).business.id;
for (let i = 1; i <= MEMBERS; i++) {
  const n = String(i).padStart(3, "0");
  const id = await register(`bench-user-${n}@example.com`, `Bench User ${n}`);
  await deps.db.run(sql`insert into business_members (business_id, user_id, role, joined_at) values (${businessId}, ${id}, 'member', ${Date.now()})`);
}

async function time(label: string, fn: () => Promise<unknown> | unknown, n = N) {
  for (let i = 0; i < Math.min(50, n); i++) await fn(); // warm-up
  const samples: number[] = [];
  driver.calls = 0;
  driver.us = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    samples.push((performance.now() - t) * 1000);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  const pct = (p: number) => samples[Math.min(n - 1, Math.floor((p / 100) * n))]!;
  const db = `${(driver.calls / n).toFixed(1).padStart(4)} statements, ${(driver.us / n).toFixed(0).padStart(5)} µs in the driver`;
  console.log(`${label.padEnd(72)} mean ${mean.toFixed(0).padStart(6)} µs   p50 ${pct(50).toFixed(0).padStart(6)}   p99 ${pct(99).toFixed(0).padStart(6)}   ${db}`);
  return mean;
}

const hx = { ...auth, "hx-request": "true" };
const ws = `/business/${businessId}/workspace`;
const search = `/api/member/users/search?q=us&businessId=${businessId}&limit=20`;
const body = async (path: string, headers: Record<string, string>) => {
  const r = await req(path, { headers });
  if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
  return r.text();
};
// LOOP=members|members-afresh|overview|search: only run that request N times (for `bun --cpu-prof-md
// bench/profile-workspace.tsx`). The members tab keeps the HTML of a page it showed (members-tab.tsx);
// members-afresh asks with a notice, which is always rendered.
const loop = process.env.LOOP;
if (loop) {
  const targets = { members: [`${ws}/members`, hx], "members-afresh": [`${ws}/members?notice=member-saved`, hx], overview: [ws, hx], search: [search, auth] };
  const target = targets[loop as keyof typeof targets] as [string, Record<string, string>] | undefined;
  if (!target) throw new Error(`LOOP is one of ${Object.keys(targets).join(", ")}`);
  for (let i = 0; i < N; i++) await body(...target);
  deps.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
console.log(`business ${businessId}: ${MEMBERS + 1} members; ${N} iterations each, one at a time; microseconds\n`);
console.log(`members fragment: ${(await body(`${ws}/members`, hx)).length} characters; overview fragment: ${(await body(ws, hx)).length}\n`);

console.log("— whole requests through the app (no network) —");
await time("GET /health", () => body("/health", {}));
await time("GET /api/auth/me (Bearer)", () => body("/api/auth/me", auth));
await time("GET …/workspace/members (fragment; the same page again, its HTML kept)", () => body(`${ws}/members`, hx));
await time("GET …/workspace/members?notice=… (fragment, rendered afresh)", () => body(`${ws}/members?notice=member-saved`, hx));
await time("GET …/workspace (overview fragment)", () => body(ws, hx));
await time("GET /api/member/users/search?q=us&limit=20", () => body(search, auth));

console.log("\n— the steps, called directly —");
await time("validateSessionToken (every authenticated request)", () => validateSessionToken(deps, token));
await time("requireMembership (select business + member, join)", () => requireMembership(deps.db, ownerId, businessId));
const membership = await requireMembership(deps.db, ownerId, businessId);
await time("loadModuleConfig", () => loadModuleConfig(deps, businessId));
await time("rememberBusiness's read of context_preferences", () => deps.db.run(sql`select active_context from context_preferences where user_id = ${ownerId} limit 1`));
await time(`listMembers (the JSON API: requireMembership + ${MEMBERS + 1} rows, 3 joins)`, () => listMembers(deps, ownerId, businessId));
const fakeC = { var: { deps, requestId: "profile" }, req: { query: () => undefined } } as never;
await time("loadMembersPanel (one statement: count, a page of 25 as JSON, units)", () => loadMembersPanel(fakeC, membership));
const panel = await loadMembersPanel(fakeC, membership);
const config2 = await loadModuleConfig(deps, businessId);
const tabs = visibleModules(config2, membership.member).map((m) => ({ id: m.id, label: m.label, href: `${ws}/${m.id}` }));
await time(`render MembersPanel to a string (owner view, ${panel.members.length} rows)`, async () => String(await (<MembersPanel {...panel} notice={null} />).toString()));
await time("render WorkspaceFragment(MembersPanel) to a string", async () =>
  String(await (<WorkspaceFragment title="t" tabs={tabs} active="members" label="Members"><MembersPanel {...panel} notice={null} /></WorkspaceFragment>).toString()),
);
await time("businessOverview (the overview tab's one statement)", () => businessOverview(deps, businessId));
const searchInput = userSearchInput.parse({ q: "us", businessId, limit: "20" });
await time("searchUsers (requireMembership + the search query)", () => searchUsers(deps, ownerId, searchInput));

console.log("\n— the raw SQL through @libsql/client (no drizzle) —");
const { createClient } = await import("@libsql/client");
const raw = createClient({ url: config.DATABASE_URL });
await raw.execute("PRAGMA busy_timeout = 5000");
await time("select 1", () => raw.execute("select 1"));
await time("select 1 (drizzle db.run)", () => deps.db.run(sql`select 1`));
await time(`the members page as the tab reads it: ${MEMBERS + 1} sorted, 25 as JSON arrays`, () =>
  raw.execute({
    sql: `select json_group_array(json_array(user_id, name, email, block_id, role, department_id, department_name, position_id, position_name, joined_at)) from (
            select bm.user_id, u.name, u.email, u.block_id, bm.role, d.id as department_id, d.name as department_name, p.id as position_id, p.name as position_name, bm.joined_at
            from business_members bm join users u on u.id = bm.user_id left join departments d on d.id = bm.department_id left join positions p on p.id = bm.position_id
            where bm.business_id = ? order by u.name collate nocase, bm.user_id limit 25)`,
    args: [businessId],
  }),
);
await time("search query (instr over name and email × 2 variants, exists, limit 21)", () =>
  raw.execute({
    sql: `select id, name, email from users where exists (select 1 from business_members seen join business_members mine on mine.business_id = seen.business_id
            where seen.user_id = users.id and mine.user_id = ? and seen.business_id = ?)
          and (instr(lower(name), lower(?)) > 0 or instr(lower(email), lower(?)) > 0 or instr(lower(name), lower(?)) > 0 or instr(lower(email), lower(?)) > 0)
          order by name collate nocase, id limit 21`,
    args: [ownerId, businessId, "us", "us", "US", "US"],
  }),
);
raw.close();
deps.close();
rmSync(dir, { recursive: true, force: true });
