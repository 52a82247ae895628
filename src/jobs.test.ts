// The scheduled job and its retention policy, over a real database: each kind of row is kept while
// its retention lasts and goes on the first run after it, the newest of each stays, one failing task
// does not stop the others, and a backlog clears in bounded batches.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { recordAudit } from "./features/audit";
import { recordHit } from "./features/ratelimit";
import { publish, channel } from "./features/realtime";
import { writeTransaction } from "./db/transaction";
import { pruneRows } from "./db/prune";
import { retentionTasks, runScheduledJobs, type JobTask } from "./jobs";
import { auditEvents, events, outbox, passwordResets, rateLimitHits, sessions } from "./schema";
import { createTestApp, type TestApp } from "./test/app";
import { person, type Person } from "./test/people";

const DAY = 24 * 3600_000;
let t: TestApp;
let ada: Person;

const rows = async (table: SQLiteTable) => (await t.deps.db.select({ n: count() }).from(table))[0]!.n;
const hit = (bucket: string, at: number) => writeTransaction(t.deps.db, (tx) => recordHit(tx, at, [bucket]));

beforeAll(async () => {
  t = await createTestApp({ RETENTION_AUDIT_DAYS: "400", RETENTION_MAIL_DAYS: "30" });
  ada = await person(t, "Ada Retention");
});
afterAll(() => t.close());

describe("retention", () => {
  test("sessions go once they expired or went idle; a live one stays", async () => {
    const old = await person(t, "Cy Idle");
    t.advance((t.deps.config.SESSION_IDLE_TIMEOUT_SECONDS + 60) * 1000);
    const fresh = await person(t, "Bea Fresh");
    await runScheduledJobs(t.deps, retentionTasks());
    const left = await t.deps.db.select({ userId: sessions.userId }).from(sessions);
    expect(left.map((row) => row.userId)).toEqual([fresh.id]);
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${old.token}` } })).status).toBe(401);
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${fresh.token}` } })).status).toBe(200);
  });

  test("audit events go after RETENTION_AUDIT_DAYS, newer ones stay", async () => {
    const audit = (id: string) => writeTransaction(t.deps.db, (tx) => recordAudit(tx, t.deps.now(), { ipAddress: "", userAgent: "", requestId: "" }, { actorUserId: ada.id, action: "test.retention", targetType: "test", targetId: id }));
    await audit("old");
    t.advance(401 * DAY);
    await audit("new");
    await runScheduledJobs(t.deps, retentionTasks());
    const left = await t.deps.db.select({ targetId: auditEvents.targetId }).from(auditEvents).where(eq(auditEvents.action, "test.retention"));
    expect(left.map((row) => row.targetId)).toEqual(["new"]);
  });

  test("outbox mail goes after RETENTION_MAIL_DAYS", async () => {
    await t.deps.mailer.send({ to: ada.email, subject: "old", text: "old" }, {});
    t.advance(31 * DAY);
    await t.deps.mailer.send({ to: ada.email, subject: "new", text: "new" }, {});
    const report = await runScheduledJobs(t.deps, retentionTasks());
    expect(report.done.outbox).toBeGreaterThan(0);
    const subjects = (await t.deps.db.select({ subject: outbox.subject }).from(outbox)).map((row) => row.subject);
    expect(subjects).toEqual(["new"]);
  });

  test("rate-limit hits go after the longest window; event-log rows after EVENTS_RETENTION_HOURS, the newest always kept", async () => {
    await hit("test:old", t.deps.now());
    await writeTransaction(t.deps.db, (tx) => publish(tx, t.deps, { channel: channel.user(ada.id), type: "test.old", payload: {} }));
    t.advance(32 * DAY);
    await hit("test:new", t.deps.now());
    await runScheduledJobs(t.deps, retentionTasks());
    const buckets = (await t.deps.db.select({ bucket: rateLimitHits.bucket }).from(rateLimitHits)).map((row) => row.bucket);
    expect(buckets).toContain("test:new");
    expect(buckets).not.toContain("test:old");
    expect((await t.deps.db.select({ type: events.type }).from(events)).map((row) => row.type)).toEqual(["test.old"]); // the newest row stays (ids continue from it)
    await writeTransaction(t.deps.db, (tx) => publish(tx, t.deps, { channel: channel.user(ada.id), type: "test.new", payload: {} }));
    t.advance(49 * 3600_000);
    await writeTransaction(t.deps.db, (tx) => publish(tx, t.deps, { channel: channel.user(ada.id), type: "test.newest", payload: {} }));
    await runScheduledJobs(t.deps, retentionTasks());
    expect((await t.deps.db.select({ type: events.type }).from(events)).map((row) => row.type)).toEqual(["test.newest"]);
  });

  test("password-reset tokens go a day after they expired", async () => {
    const ask = () => t.app.request("/api/auth/password-reset", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: ada.email }) });
    expect((await ask()).status).toBeLessThan(300);
    expect(await rows(passwordResets)).toBe(1);
    t.advance(3 * DAY);
    expect((await ask()).status).toBeLessThan(300);
    await runScheduledJobs(t.deps, retentionTasks());
    expect(await rows(passwordResets)).toBe(1);
  });
});

describe("the job", () => {
  test("one failing task is reported and logged; the others still run", async () => {
    const ran: string[] = [];
    const tasks: JobTask[] = [
      { name: "broken", run: async () => { throw new Error("disk on fire"); } },
      { name: "fine", run: async () => { ran.push("fine"); return 3; } },
    ];
    const report = await runScheduledJobs(t.deps, tasks);
    expect(ran).toEqual(["fine"]);
    expect(report).toEqual({ done: { fine: 3 }, failed: { broken: "Error: disk on fire" } });
  });

  test("pruning deletes in bounded batches, so a backlog clears over several runs", async () => {
    for (let i = 0; i < 5; i++) await hit(`test:batch${i}`, 1);
    const where = eq(rateLimitHits.at, 1);
    expect(await pruneRows(t.deps.db, rateLimitHits, rateLimitHits.id, where, 2)).toBe(2);
    expect(await pruneRows(t.deps.db, rateLimitHits, rateLimitHits.id, where, 2)).toBe(2);
    expect(await pruneRows(t.deps.db, rateLimitHits, rateLimitHits.id, where, 2)).toBe(1);
    expect(await pruneRows(t.deps.db, rateLimitHits, rateLimitHits.id, where, 2)).toBe(0);
  });
});
