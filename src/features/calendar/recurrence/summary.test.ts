// describeRule (summary.ts): the editor's choices in plain English, and the generic fallback.
import { describe, expect, test } from "bun:test";
import { describeRule } from "./summary";

describe("describeRule", () => {
  const start = "2026-03-03T09:00"; // a Tuesday
  test.each([
    [null, "Does not repeat"],
    ["", "Does not repeat"],
    ["FREQ=DAILY", "Daily"],
    ["FREQ=DAILY;COUNT=10", "Daily, 10 times"],
    ["FREQ=DAILY;COUNT=1", "Daily, once"],
    ["FREQ=DAILY;INTERVAL=2", "Every other day"],
    ["FREQ=DAILY;INTERVAL=3;UNTIL=20270630", "Every 3 days until 30 June 2027"],
    ["FREQ=WEEKLY", "Weekly on Tuesday"],
    ["FREQ=WEEKLY;BYDAY=TU", "Weekly on Tuesday"],
    ["FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270630T225959Z", "Every other Tuesday until 30 June 2027"],
    ["FREQ=WEEKLY;INTERVAL=3;BYDAY=FR", "Every 3 weeks on Friday"],
    ["FREQ=WEEKLY;BYDAY=FR,MO,WE", "Weekly on Monday, Wednesday and Friday"],
    ["FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=8", "Every other week on Monday and Thursday, 8 times"],
    ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Every weekday"],
    ["FREQ=MONTHLY", "Monthly on the 3rd"],
    ["FREQ=MONTHLY;BYMONTHDAY=21", "Monthly on the 21st"],
    ["FREQ=MONTHLY;BYMONTHDAY=-1", "Monthly on the last day"],
    ["FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15", "Every other month on the 15th"],
    ["FREQ=MONTHLY;BYDAY=-1FR", "Monthly on the last Friday"],
    ["FREQ=MONTHLY;BYDAY=2TU;COUNT=6", "Monthly on the second Tuesday, 6 times"],
    ["FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1", "Monthly on the last Friday"],
    ["FREQ=YEARLY", "Yearly on 3 March"],
    ["FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25", "Yearly on 25 December"],
    ["FREQ=YEARLY;INTERVAL=4", "Every 4 years on 3 March"],
    ["FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "Yearly on the fourth Thursday of November"],
    ["FREQ=HOURLY;INTERVAL=2", "Every other hour"],
    ["FREQ=MINUTELY;INTERVAL=15;COUNT=6", "Every 15 minutes, 6 times"],
    ["FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", "Monthly (custom rule)"],
    ["FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "Yearly (custom rule)"],
    ["FREQ=NEVER", "Custom repeat"],
  ])("%s → %s", (rule, text) => {
    expect(describeRule(rule, start, "Europe/London")).toBe(text);
  });

  test("an UTC UNTIL is shown as its date in the series' zone", () => {
    expect(describeRule("FREQ=DAILY;UNTIL=20270630T130000Z", start, "Pacific/Auckland")).toBe("Daily until 1 July 2027");
    expect(describeRule("FREQ=DAILY;UNTIL=20270630T130000Z", start, "America/New_York")).toBe("Daily until 30 June 2027");
  });

  test("all-day series read the start's date", () => {
    expect(describeRule("FREQ=YEARLY", "2026-12-25")).toBe("Yearly on 25 December");
  });
});
