// The presence rules without a database; the streams, the sweeper and the routes are in presence.test.ts.
import { describe, expect, test } from "bun:test";
import { connectionLifetime, effectiveStatus, modeInForce, type PresenceFacts } from "./rules";

const NOW = 1_800_000_000_000;
const AWAY = 10 * 60_000;
const facts = (patch: Partial<PresenceFacts> = {}): PresenceFacts => ({ live: true, mode: "auto", dndUntil: null, lastActiveAt: NOW - 1000, ...patch });

describe("effectiveStatus", () => {
  test("no live connection is offline, whatever was chosen", () => {
    for (const mode of ["auto", "away", "dnd"] as const) expect(effectiveStatus(facts({ live: false, mode }), NOW, AWAY)).toBe("offline");
  });

  test("recent activity is online; activity older than the away time is away", () => {
    expect(effectiveStatus(facts(), NOW, AWAY)).toBe("online");
    expect(effectiveStatus(facts({ lastActiveAt: NOW - AWAY }), NOW, AWAY)).toBe("online");
    expect(effectiveStatus(facts({ lastActiveAt: NOW - AWAY - 1 }), NOW, AWAY)).toBe("away");
    expect(effectiveStatus(facts({ lastActiveAt: 0 }), NOW, AWAY)).toBe("away");
  });

  test("appear away is away even when active", () => {
    expect(effectiveStatus(facts({ mode: "away" }), NOW, AWAY)).toBe("away");
  });

  test("do not disturb holds without an end, and until its end; after it the automatic rules apply", () => {
    expect(effectiveStatus(facts({ mode: "dnd" }), NOW, AWAY)).toBe("dnd");
    expect(effectiveStatus(facts({ mode: "dnd", dndUntil: NOW + 1 }), NOW, AWAY)).toBe("dnd");
    expect(effectiveStatus(facts({ mode: "dnd", dndUntil: NOW }), NOW, AWAY)).toBe("online");
    expect(effectiveStatus(facts({ mode: "dnd", dndUntil: NOW - 60_000, lastActiveAt: 0 }), NOW, AWAY)).toBe("away");
    expect(modeInForce("dnd", NOW - 1, NOW)).toBe("auto");
    expect(modeInForce("dnd", null, NOW)).toBe("dnd");
    expect(modeInForce("away", NOW - 1, NOW)).toBe("away");
  });
});

test("a connection outlives its stream where nothing refreshes it (Workers)", () => {
  expect(connectionLifetime(60_000, 300_000, true)).toBe(60_000);
  expect(connectionLifetime(20_000, 40_000, false)).toBeGreaterThan(40_000);
  expect(connectionLifetime(60_000, 40_000, false)).toBe(60_000);
});
