import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { BarChart, chartSummary } from "../../../views/components/BarChart";
import { newId } from "../../lib/crypto";
import { createTestApp, registerUser, signedInBrowser, type TestApp } from "../../test/app";
import { recordAudit } from "../audit";
import { households } from "../households/schema";
import { businesses } from "../workspace/schema";
import { checkDatabase } from "./dashboard";
import { DAY_MS } from "./input";
import { dataIds, seedUser } from "./admin.fixture";

const HOUR = 3_600_000;
const day = (at: number) => new Date(at).toISOString().slice(0, 10);

let t: TestApp;
const days: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestApp();
  // Start an hour into a UTC day, so a run near midnight cannot split one test day in two.
  t.advance(DAY_MS - (t.deps.now() % DAY_MS) + HOUR);
  const first = t.deps.now();
  await registerUser(t.app, "root@example.com", "Root");
  await seedUser(t, { name: "Long Ago", email: "old@example.com", createdAt: first - 40 * DAY_MS });
  t.advance(3 * DAY_MS);
  await registerUser(t.app, "b@example.com", "B");
  await registerUser(t.app, "c@example.com", "C");
  t.advance(DAY_MS);
  await registerUser(t.app, "d@example.com", "D");
  days.first = first;
  days.now = t.deps.now();
  for (const [name, kind] of [["Acme", "company"], ["School", "institution"]] as const) {
    await t.deps.db.insert(businesses).values({ id: newId(), name, kind, createdAt: first, updatedAt: first });
  }
  await t.deps.db.insert(households).values({ id: newId(), name: "Home", createdAt: first, updatedAt: first });
});
afterAll(() => t.close());

async function dashboardHtml() {
  const admin = await signedInBrowser(t.app, "root@example.com");
  return (await admin.request("/admin-portal/dashboard")).text();
}

function chartRows(html: string): [string, number][] {
  return [...html.matchAll(/<tr><th scope="row">(\d{4}-\d{2}-\d{2})<\/th><td class="numeric">(\d+)<\/td><\/tr>/g)].map((m) => [m[1]!, Number(m[2])]);
}

describe("admin dashboard", () => {
  test("counts users, businesses and households", async () => {
    const html = await dashboardHtml();
    expect(html).toContain('<dd data-stat="users">5</dd>');
    expect(html).toContain('<dd data-stat="businesses">2</dd>');
    expect(html).toContain('<dd data-stat="households">1</dd>');
    expect(html).toContain('<dd class="health ok" data-stat="database">OK</dd>');
  });

  test("the sign-up chart counts accounts per UTC day over the last 30 days, today last", async () => {
    const html = await dashboardHtml();
    const rows = chartRows(html);
    expect(rows).toHaveLength(30);
    expect(rows[29]![0]).toBe(day(days.now!));
    expect(rows[0]![0]).toBe(day(days.now! - 29 * DAY_MS));
    const nonZero = rows.filter(([, n]) => n > 0);
    expect(nonZero).toEqual([
      [day(days.first!), 1],
      [day(days.first! + 3 * DAY_MS), 2],
      [day(days.first! + 4 * DAY_MS), 1],
    ]);
    expect(html.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(html).toContain(`aria-label="Sign-ups per day (UTC): 4 sign-ups from ${rows[0]![0]} to ${rows[29]![0]}; the most, 2, on ${day(days.first! + 3 * DAY_MS)}."`);
  });

  test("a day leaves the chart when it is more than 29 days old", async () => {
    t.advance(27 * DAY_MS);
    const html = await dashboardHtml();
    const nonZero = chartRows(html).filter(([, n]) => n > 0);
    expect(nonZero.map(([d]) => d)).toEqual([day(days.first! + 3 * DAY_MS), day(days.first! + 4 * DAY_MS)]);
  });

  test("shows the 10 most recent audit events, newest first", async () => {
    for (let i = 0; i < 12; i++) {
      await recordAudit(t.deps.db, t.deps.now() + 1000 + i, { ipAddress: "", userAgent: "", requestId: "" }, { actorUserId: null, action: `test.recent_${i}`, targetType: "thing", targetId: null });
    }
    const html = await dashboardHtml();
    const recent = html.slice(html.indexOf('id="recent-heading"'));
    expect(dataIds(recent, "event")).toHaveLength(10);
    const actions = [...recent.matchAll(/<code>(test\.recent_\d+)<\/code>/g)].map((m) => m[1]);
    expect(actions).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2].map((i) => `test.recent_${i}`));
  });
});

describe("database health", () => {
  test("ok when select 1 answers; unreachable when it fails or hangs past the timeout", async () => {
    expect(await checkDatabase(t.deps.db)).toBe("ok");
    expect(await checkDatabase({ run: () => Promise.reject(new Error("gone")) } as never, 50)).toBe("unreachable");
    expect(await checkDatabase({ run: () => new Promise(() => {}) } as never, 20)).toBe("unreachable");
  });
});

describe("BarChart", () => {
  const data = [
    { label: "Mon", value: 2 },
    { label: "Tue", value: 0 },
    { label: "Wed", value: 8 },
  ];
  const html = String(<BarChart id="c" title="Things per day" unit="things" labelHeading="Day" data={data} />);

  test("is an image with a title and a spoken summary, and a table of the same numbers", () => {
    expect(html).toContain('role="img"');
    expect(html).toContain("<title>Things per day</title>");
    expect(html).toContain('aria-label="Things per day: 10 things from Mon to Wed; the most, 8, on Wed."');
    expect(html).toContain('<tr><th scope="row">Tue</th><td class="numeric">0</td></tr>');
    expect(html).toContain('<tr><th scope="row">Wed</th><td class="numeric">8</td></tr>');
  });

  test("draws one bar per non-zero value, heights in proportion, on a rounded axis", () => {
    const heights = [...html.matchAll(/<rect class="bar"[^>]* height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(2);
    expect(heights[1]! / heights[0]!).toBeCloseTo(4, 5);
    expect(html).toContain(">10</text>");
  });

  test("has no style attributes and no script (strict CSP)", () => {
    expect(html).not.toContain("style=");
    expect(html).not.toContain("<script");
  });

  test("says plainly when there is nothing to show", () => {
    expect(chartSummary({ title: "T", unit: "things", data: [] })).toBe("T: no data.");
    expect(chartSummary({ title: "T", unit: "things", data: [{ label: "a", value: 0 }] })).toBe("T: no things from a to a.");
  });
});
