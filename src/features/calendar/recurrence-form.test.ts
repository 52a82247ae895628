import { describe, expect, test } from "bun:test";
import { DEFAULT_FIELDS, fromRRule, toRRule, type RecurrenceFields } from "./recurrence-form";
import { describeRule } from "./recurrence";

const f = (over: Partial<RecurrenceFields>): RecurrenceFields => ({ ...DEFAULT_FIELDS, ...over });

describe("the recurrence editor's fields and their RRULE", () => {
  test("each choice gives the rule a person means", () => {
    expect(toRRule(f({}), "2026-06-30T10:00", "Europe/London")).toEqual({ rrule: null });
    expect(toRRule(f({ repeat: "daily", ends: "after", count: 5 }), "2026-06-30T10:00", "Europe/London")).toEqual({ rrule: "FREQ=DAILY;COUNT=5" });
    expect(toRRule(f({ repeat: "weekly", interval: 2, days: ["TU"], ends: "on", until: "2027-06-30" }), "2026-06-30T10:00", "Europe/London")).toEqual({ rrule: "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630T225959Z;BYDAY=TU" });
    expect(toRRule(f({ repeat: "weekly" }), "2026-06-30T10:00", "UTC")).toEqual({ rrule: "FREQ=WEEKLY;BYDAY=TU" });
    expect(toRRule(f({ repeat: "weekly", days: ["FR", "MO"] }), "2026-06-30T10:00", "UTC")).toEqual({ rrule: "FREQ=WEEKLY;BYDAY=MO,FR" });
    expect(toRRule(f({ repeat: "monthly" }), "2026-06-30T10:00", "UTC")).toEqual({ rrule: "FREQ=MONTHLY;BYMONTHDAY=30" });
    expect(toRRule(f({ repeat: "monthly", monthly: "weekday" }), "2026-06-30T10:00", "UTC")).toEqual({ rrule: "FREQ=MONTHLY;BYDAY=-1TU" });
    expect(toRRule(f({ repeat: "monthly", monthly: "weekday" }), "2026-06-09T10:00", "UTC")).toEqual({ rrule: "FREQ=MONTHLY;BYDAY=2TU" });
    expect(toRRule(f({ repeat: "yearly", ends: "on", until: "2030-01-01" }), "2026-06-30", null)).toEqual({ rrule: "FREQ=YEARLY;UNTIL=20300101" });
    expect(toRRule(f({ repeat: "daily", ends: "on", until: "2026-01-01" }), "2026-06-30T10:00", "UTC")).toEqual({ field: "until", message: "The last date must not be before the start." });
    expect(toRRule(f({ repeat: "custom", rrule: "" }), "2026-06-30T10:00", "UTC")).toMatchObject({ field: "rrule" });
  });

  test("the plain-words summary of what the editor makes", () => {
    const made = toRRule(f({ repeat: "weekly", interval: 2, days: ["TU"], ends: "on", until: "2027-06-30" }), "2026-06-30T10:00", "Europe/London") as { rrule: string };
    expect(describeRule(made.rrule, "2026-06-30T10:00", "Europe/London")).toBe("Every other Tuesday until 30 June 2027");
  });

  test("a stored rule reads back into the same fields; what the editor cannot show stays as custom", () => {
    for (const [fields, start, zone] of [
      [f({ repeat: "weekly", interval: 2, days: ["TU"], ends: "on", until: "2027-06-30" }), "2026-06-30T10:00", "Europe/London"],
      [f({ repeat: "monthly", monthly: "weekday", ends: "after", count: 6 }), "2026-06-09T10:00", "UTC"],
      [f({ repeat: "daily", interval: 3 }), "2026-06-09", null],
      [f({ repeat: "yearly" }), "2026-06-09", null],
    ] as const) {
      const made = toRRule(fields, start, zone) as { rrule: string };
      const back = fromRRule(made.rrule, start, zone);
      expect(toRRule(back, start, zone)).toEqual(made);
    }
    expect(fromRRule("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1", "2026-06-09T10:00", "UTC")).toMatchObject({ repeat: "custom", rrule: "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1" });
    expect(fromRRule("FREQ=HOURLY;INTERVAL=2", "2026-06-09T10:00", "UTC").repeat).toBe("custom");
  });
});
