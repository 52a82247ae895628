// The Block ID core: the format, one serial per prefix (shared by countries with one calling code),
// numbers never issued twice (moves, history), serials given back by a failed registration, and the
// cap. The reference data seed has its own suite in reference-data.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { auditEvents, blockIdCounters, blockIds, regions, towns, users } from "../../schema";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { createTestApp, strongPassword, type TestApp } from "../../test/app";
import { insertUser } from "../auth/service";
import { BLOCK_ID_PATTERN, blockIdPrefix, formatBlockId } from "./block-id";
import { COUNTRIES } from "../../lib/countries";
import { moveUser } from "../auth";
import { blockIdHistory } from "./moves";
import { findPlace, unassignedTownOf } from "./places";

const meta = { ipAddress: "203.0.113.9", userAgent: "block-id.test", requestId: "block-id-test" };

type ErrorBody = { error: { code: string; message: string; details: { fieldErrors?: Record<string, string[]> } } };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT: "off" });
});
afterAll(() => t.close());

let emails = 0;
const nextEmail = (label: string) => `${label}-${++emails}@example.com`;

function register(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.app.request("/api/auth/register", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9", ...headers },
    body: JSON.stringify({ acceptTerms: true, password: strongPassword, name: "Block Tester", ...body }),
  });
}

/** Registers and returns the new user's id and Block ID; fails the test on anything but 201. */
async function registered(location: Record<string, string> = {}, email = nextEmail("user")) {
  const response = await register({ email, ...location });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`register ${email}: ${response.status} ${text}`);
  const { user } = JSON.parse(text) as { user: { id: string; blockId: string } };
  return user;
}

/** The id of a town, by country, region name and town name. */
async function townId(db: TestApp["deps"]["db"], country: string, region: string, town: string) {
  const [row] = await db
    .select({ id: towns.id })
    .from(towns)
    .innerJoin(regions, eq(regions.id, towns.regionId))
    .where(and(eq(regions.countryId, country), eq(regions.name, region), eq(towns.name, town)));
  if (!row) throw new Error(`no town ${town}, ${region}, ${country}`);
  return row.id;
}

const serialOf = (blockId: string) => Number(BLOCK_ID_PATTERN.exec(blockId)![4]);

async function counter(prefix: string) {
  const [row] = await t.deps.db.select().from(blockIdCounters).where(eq(blockIdCounters.prefix, prefix));
  return row?.lastSerial ?? 0;
}

async function currentRow(userId: string) {
  const rows = await t.deps.db.select().from(blockIds).where(and(eq(blockIds.userId, userId), isNull(blockIds.retiredAt)));
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe("format", () => {
  test("calling code, region and town codes, then six digits of serial, zero-padded", () => {
    expect(formatBlockId("44-001-001", 1)).toBe("44-001-001-000001");
    expect(formatBlockId("44-001-012", 123)).toBe("44-001-012-000123");
    expect(formatBlockId("1-000-000", 999_999)).toBe("1-000-000-999999");
    expect(formatBlockId("1876-002-010", 42)).toBe("1876-002-010-000042");
    const place = {
      country: { id: "GB", name: "United Kingdom", callingCode: "44" },
      region: { id: "r", code: "002", name: "Scotland" },
      town: { id: "t", code: "010", name: "Glasgow" },
    };
    expect(blockIdPrefix(place)).toBe("44-002-010");
  });

  test("BLOCK_ID_PATTERN takes exactly that shape", () => {
    for (const good of ["44-001-001-000001", "1-000-000-999999", "1876-123-456-000000", "234-002-001-010203"]) {
      expect(good).toMatch(BLOCK_ID_PATTERN);
    }
    for (const bad of ["44-1-001-000001", "44-001-01-000001", "44-001-001-1", "44-001-001-0000001", "12345-001-001-000001", "+44-001-001-000001", "44-001-001-00000a", " 44-001-001-000001", "44-001-001-000001\n", "44001001000001"]) {
      expect(bad).not.toMatch(BLOCK_ID_PATTERN);
    }
  });

  test("every country's calling code fits the pattern, so every prefix does", () => {
    for (const country of COUNTRIES) expect(formatBlockId(`${country.callingCode}-000-000`, 1)).toMatch(BLOCK_ID_PATTERN);
  });

  test("a registration picking London gets 44-001-001-000001, recorded in block_ids, users and the audit log", async () => {
    const london = await townId(t.deps.db, "GB", "England", "London");
    const user = await registered({ townId: london });
    expect(user.blockId).toBe("44-001-001-000001");
    const row = await currentRow(user.id);
    expect(row).toMatchObject({ value: "44-001-001-000001", townId: london, serial: 1, source: "picked", retiredAt: null });
    const [stored] = await t.deps.db.select({ blockId: users.blockId }).from(users).where(eq(users.id, user.id));
    expect(stored!.blockId).toBe(row.value);
    const [event] = await t.deps.db.select().from(auditEvents).where(and(eq(auditEvents.action, "block_id.issue"), eq(auditEvents.targetId, row.value)));
    expect(event).toMatchObject({ actorUserId: user.id, targetType: "block_id" });
    expect(event!.details).toMatchObject({ userId: user.id, townId: london, source: "picked", place: "London, England, United Kingdom" });
    const [registration] = await t.deps.db.select().from(auditEvents).where(and(eq(auditEvents.action, "auth.register"), eq(auditEvents.targetId, user.id)));
    expect(registration!.details).toMatchObject({ blockId: "44-001-001-000001" });
  });
});

describe("one serial per prefix", () => {
  test("each town counts on its own; a region or country alone means its unassigned town", async () => {
    const db = t.deps.db;
    const london = await townId(db, "GB", "England", "London");
    const manchester = await townId(db, "GB", "England", "Manchester");
    const [england] = await db.select({ id: regions.id }).from(regions).where(and(eq(regions.countryId, "GB"), eq(regions.name, "England")));
    expect((await registered({ townId: london })).blockId).toBe("44-001-001-000002");
    expect((await registered({ townId: manchester })).blockId).toBe("44-001-002-000001");
    expect((await registered({ townId: london })).blockId).toBe("44-001-001-000003");
    expect((await registered({ countryId: "GB", regionId: england!.id })).blockId).toBe("44-001-000-000001");
    expect((await registered({ countryId: "gb" })).blockId).toBe("44-000-000-000001");
    // Nothing picked and no hint: DEFAULT_COUNTRY (GB) unassigned.
    expect((await registered()).blockId).toBe("44-000-000-000002");
    expect((await registered({ countryId: "DE" })).blockId).toBe("49-000-000-000001");
    expect(await counter("44-001-001")).toBe(3);
    expect(await counter("44-001-002")).toBe(1);
    expect(await counter("44-000-000")).toBe(2);
  });

  test("countries sharing +1 (US, CA, UM) share the unassigned prefix 1-000-000 and never repeat a number", async () => {
    const before = await counter("1-000-000");
    const issued: string[] = [];
    for (const countryId of ["US", "CA", "US", "CA", "UM", "CA"]) issued.push((await registered({ countryId })).blockId);
    expect(issued).toEqual([1, 2, 3, 4, 5, 6].map((n) => formatBlockId("1-000-000", before + n)));
    expect(await counter("1-000-000")).toBe(before + 6);
    const usTown = await unassignedTownOf(t.deps.db, "US");
    const caTown = await unassignedTownOf(t.deps.db, "CA");
    expect(usTown).not.toBe(caTown);
    const rows = await t.deps.db.select({ value: blockIds.value, townId: blockIds.townId }).from(blockIds).where(sql`${blockIds.value} like '1-000-000-%'`);
    expect(rows.filter((r) => r.townId === usTown)).toHaveLength(2);
    expect(rows.filter((r) => r.townId === caTown)).toHaveLength(3);
    expect(new Set(rows.map((r) => r.value)).size).toBe(rows.length);
  });

  test("the four +44 countries (GB, GG, IM, JE) count their unassigned towns together", async () => {
    const before = await counter("44-000-000");
    const issued: string[] = [];
    for (const countryId of ["JE", "GB", "GG", "IM"]) issued.push((await registered({ countryId })).blockId);
    expect(issued).toEqual([1, 2, 3, 4].map((n) => formatBlockId("44-000-000", before + n)));
  });

  test("a Canadian town with the same codes as Los Angeles (1-001-001) shares its counter", async () => {
    // An admin adds region 001 and town 001 in Canada: the same prefix as California / Los Angeles.
    const now = Date.now();
    const regionId = newId();
    const torontoId = newId();
    await t.deps.db.insert(regions).values({ id: regionId, countryId: "CA", code: "001", name: "Ontario", createdAt: now, updatedAt: now });
    await t.deps.db.insert(towns).values({ id: torontoId, regionId, code: "001", name: "Toronto", createdAt: now, updatedAt: now });
    const losAngeles = await townId(t.deps.db, "US", "California", "Los Angeles");
    const values = [
      (await registered({ townId: losAngeles })).blockId,
      (await registered({ townId: torontoId })).blockId,
      (await registered({ townId: losAngeles })).blockId,
      (await registered({ townId: torontoId })).blockId,
    ];
    expect(values).toEqual(["1-001-001-000001", "1-001-001-000002", "1-001-001-000003", "1-001-001-000004"]);
    const toronto = await t.deps.db.select({ serial: blockIds.serial }).from(blockIds).where(eq(blockIds.townId, torontoId)).orderBy(asc(blockIds.serial));
    expect(toronto.map((r) => r.serial)).toEqual([2, 4]);
  });
});

describe("a number is never issued twice", () => {
  test("a move retires the old number into the history; the town never hands it out again", async () => {
    const db = t.deps.db;
    const birmingham = await townId(db, "GB", "England", "Birmingham");
    const edinburgh = await townId(db, "GB", "Scotland", "Edinburgh");
    const admin = (await db.select({ id: users.id }).from(users).where(eq(users.isPlatformAdmin, true)))[0]!;
    const mover = await registered({ townId: birmingham });
    expect(mover.blockId).toBe("44-001-003-000001");

    const moved = await moveUser(t.deps, { userId: mover.id, townId: edinburgh, source: "admin", actorUserId: admin.id }, meta);
    expect(moved.previous?.blockId).toBe("44-001-003-000001");
    expect(moved.current.blockId).toBe("44-002-001-000001");
    expect((await currentRow(mover.id)).value).toBe("44-002-001-000001");
    const [afterMove] = await db.select({ blockId: users.blockId }).from(users).where(eq(users.id, mover.id));
    expect(afterMove!.blockId).toBe("44-002-001-000001");

    // Birmingham's next newcomer gets 000002, not the retired 000001.
    expect((await registered({ townId: birmingham })).blockId).toBe("44-001-003-000002");
    // Moving back issues a fresh number too.
    const back = await moveUser(t.deps, { userId: mover.id, townId: birmingham, source: "user", actorUserId: mover.id }, meta);
    expect(back.current.blockId).toBe("44-001-003-000003");

    const history = await blockIdHistory(t.deps, mover.id);
    expect(history.map((h) => [h.value, h.retiredAt === null])).toEqual([
      ["44-001-003-000003", true],
      ["44-002-001-000001", false],
      ["44-001-003-000001", false],
    ]);
    expect(history.map((h) => h.source)).toEqual(["user", "admin", "picked"]);
    const [change] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "user.location_change"), eq(auditEvents.targetId, mover.id))).orderBy(asc(auditEvents.at)).limit(1);
    expect(change!.details).toMatchObject({ source: "admin", before: { blockId: "44-001-003-000001" }, after: { blockId: "44-002-001-000001" } });
    const retired = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "block_id.retire"), eq(auditEvents.targetId, "44-001-003-000001")));
    expect(retired).toHaveLength(1);
  });

  test("moving a user to the town they are in is a 400 field error and changes nothing", async () => {
    const glasgow = await townId(t.deps.db, "GB", "Scotland", "Glasgow");
    const user = await registered({ townId: glasgow });
    const before = await counter("44-002-002");
    const attempt = moveUser(t.deps, { userId: user.id, townId: glasgow, source: "user", actorUserId: user.id }, meta);
    await expect(attempt).rejects.toMatchObject({ status: 400 });
    expect(await counter("44-002-002")).toBe(before);
    expect((await currentRow(user.id)).value).toBe(user.blockId);
  });
});

describe("a failed registration gives its serial back", () => {
  test("a throw after the counter's increment, in the same transaction, rolls the increment back", async () => {
    const cardiff = await townId(t.deps.db, "GB", "Wales", "Cardiff");
    expect((await registered({ townId: cardiff })).blockId).toBe("44-003-001-000001");
    const email = nextEmail("rolled-back");
    const attempt = writeTransaction(t.deps.db, async (tx) => {
      const row = await insertUser(tx, t.deps.config, Date.now(), { email, name: "Rolled Back", passwordHash: null, emailVerified: false }, { townId: cardiff, source: "picked" }, meta);
      expect(row.blockId).toBe("44-003-001-000002");
      throw new Error("a later step failed");
    });
    await expect(attempt).rejects.toThrow("a later step failed");
    expect(await counter("44-003-001")).toBe(1);
    expect(await t.deps.db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
    expect(await t.deps.db.select().from(blockIds).where(eq(blockIds.value, "44-003-001-000002"))).toHaveLength(0);
    expect(await t.deps.db.select().from(auditEvents).where(eq(auditEvents.targetId, "44-003-001-000002"))).toHaveLength(0);
    expect((await registered({ townId: cardiff })).blockId).toBe("44-003-001-000002");
  });

  test("when the registration's audit insert fails, nothing is kept and the next sign-up takes the same serial", async () => {
    const db = t.deps.db;
    const belfast = await townId(db, "GB", "Northern Ireland", "Belfast");
    expect((await registered({ townId: belfast })).blockId).toBe("44-004-001-000001");
    const doomed = nextEmail("audit-refused");
    // The audit store refuses this one registration's event: the failure comes after the user row,
    // the counter's increment, the block_ids row and the block_id.issue event.
    await db.run(
      sql.raw(`create trigger refuse_one_audit before insert on audit_events
        when new.action = 'auth.register' and new.details like '%${doomed}%'
        begin select raise(abort, 'audit store refused'); end`),
    );
    try {
      const response = await register({ email: doomed, townId: belfast });
      expect(response.status).toBe(500);
      expect(((await response.json()) as ErrorBody).error.code).toBe("internal_error");
    } finally {
      await db.run(sql`drop trigger refuse_one_audit`);
    }
    expect(await counter("44-004-001")).toBe(1);
    expect(await db.select().from(users).where(eq(users.email, doomed))).toHaveLength(0);
    expect(await db.select().from(blockIds).where(eq(blockIds.townId, belfast))).toHaveLength(1);
    expect(await db.select().from(auditEvents).where(eq(auditEvents.targetId, "44-004-001-000002"))).toHaveLength(0);
    expect((await registered({ townId: belfast }, doomed)).blockId).toBe("44-004-001-000002");
  });

  test("two sign-ups racing with one email: one 201, one 409, and the town's serials stay consecutive", async () => {
    const db = t.deps.db;
    const munich = await townId(db, "DE", "Bavaria", "Munich");
    const email = nextEmail("racer");
    const [a, b] = await Promise.all([register({ email, townId: munich }), register({ email: email.toUpperCase(), townId: munich })]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(((await loser.json()) as ErrorBody).error.code).toBe("email_taken");
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
    expect(await counter("49-001-001")).toBe(1);
    expect((await registered({ townId: munich })).blockId).toBe("49-001-001-000002");
    const serials = await db.select({ serial: blockIds.serial }).from(blockIds).where(eq(blockIds.townId, munich)).orderBy(asc(blockIds.serial));
    expect(serials.map((r) => r.serial)).toEqual([1, 2]);
  });
});

describe("the serial cap", () => {
  test("999,999 is the last number; the next sign-up there is a 409 town_full on townId, and leaves nothing", async () => {
    const db = t.deps.db;
    const nuremberg = await townId(db, "DE", "Bavaria", "Nuremberg");
    await db.insert(blockIdCounters).values({ prefix: "49-001-002", lastSerial: 999_998 });
    expect((await registered({ townId: nuremberg })).blockId).toBe("49-001-002-999999");

    const email = nextEmail("too-late");
    const full = await register({ email, townId: nuremberg });
    expect(full.status).toBe(409);
    const { error } = (await full.json()) as ErrorBody;
    expect(error.code).toBe("town_full");
    expect(error.details.fieldErrors?.townId?.[0]).toContain("Nuremberg");
    expect(await counter("49-001-002")).toBe(999_999);
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
    expect(await db.select().from(blockIds).where(eq(blockIds.townId, nuremberg))).toHaveLength(1);

    // The same person can sign up in another town straight away.
    const berlin = await townId(db, "DE", "Berlin", "Berlin");
    expect((await registered({ townId: berlin }, email)).blockId).toBe("49-002-001-000001");
  });
});

describe("across the platform", () => {
  test("every user's users.block_id is their one current block_ids row, and no value repeats", async () => {
    const db = t.deps.db;
    const everyone = await db.select({ id: users.id, blockId: users.blockId }).from(users);
    expect(everyone.length).toBeGreaterThan(30);
    const current = await db.select({ userId: blockIds.userId, value: blockIds.value }).from(blockIds).where(isNull(blockIds.retiredAt));
    const currentOf = new Map(current.map((row) => [row.userId, row.value]));
    expect(current).toHaveLength(everyone.length);
    for (const user of everyone) expect(user.blockId).toBe(currentOf.get(user.id)!);

    const all = await db.select({ value: blockIds.value, serial: blockIds.serial, townId: blockIds.townId }).from(blockIds);
    expect(new Set(all.map((r) => r.value)).size).toBe(all.length);
    for (const row of all) {
      expect(row.value).toMatch(BLOCK_ID_PATTERN);
      const place = (await findPlace(db, row.townId))!;
      expect(row.value).toBe(formatBlockId(blockIdPrefix(place), row.serial));
    }
    // Every counter is the highest serial its prefix has issued.
    const counters = await db.select().from(blockIdCounters);
    for (const { prefix, lastSerial } of counters) {
      const highest = Math.max(0, ...all.filter((r) => r.value.startsWith(`${prefix}-`)).map((r) => serialOf(r.value)));
      expect([prefix, lastSerial]).toEqual([prefix, highest]);
    }
  });
});
