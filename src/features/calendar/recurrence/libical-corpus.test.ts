// The libical recurrence corpus (../testdata/icalrecur_test.txt, see its README for origin and licence): every case
// expanded by listInstances (our loop over rrule.js's period machinery) and compared with libical's instances.
// DTSTART forms: floating → zone null, "Z" → zone UTC, a date → all-day. Where a case has START-AT, the expansion
// from that point must give the expected instances from that point on (libical's iterator restart).
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { listInstances } from "./instances";

type Case = { line: number; comment: string; rrule: string; dtstart: string; startAt: string | null; instances: string[] | null };

function parseCorpus(text: string): Case[] {
  const cases: Case[] = [];
  let line = 0;
  for (const block of text.split(/\n[ \t]*\n/)) {
    const lines = block.split("\n");
    const first = line + lines.findIndex((l) => l.trim() !== "") + 1;
    line += lines.length + 1;
    const field = (name: string) => lines.find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? null;
    const rrule = field("RRULE");
    if (rrule === null) continue;
    const inst = field("INSTANCES")!;
    cases.push({
      line: first,
      comment: lines.filter((l) => l.startsWith("#")).map((l) => l.slice(1).trim()).join(" "),
      rrule,
      dtstart: field("DTSTART")!,
      startAt: field("START-AT"),
      instances: inst.includes("UNIMPLEMENTED") ? null : inst.split(","),
    });
  }
  return cases;
}

/** "19970902T090000" / "…Z" / "19970902" → our form ("1997-09-02T09:00", "1997-09-02"). */
function ours(basic: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(basic)!;
  if (m[4] === undefined) return `${m[1]}-${m[2]}-${m[3]}`;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}${m[6] === "00" ? "" : `:${m[6]}`}`;
}

const cases = parseCorpus(readFileSync(join(import.meta.dir, "../testdata/icalrecur_test.txt"), "utf8"));

// Cases that cannot pass, with the reason (keep this list empty where possible).
const SKIPPED: Record<number, string> = {};

// libical has no expected instances for this one ("*** UNIMPLEMENTED"): Dec 30 when it falls in ISO week 1 of the
// next year. We check the answer worked out by hand instead.
const UNIMPLEMENTED_EXPECTED: Record<string, string[]> = {
  "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=30;BYWEEKNO=1;UNTIL=20320101": ["2024-12-30", "2025-12-30", "2030-12-30", "2031-12-30"],
};

describe("libical recurrence corpus", () => {
  test("the corpus has its 146 cases", () => expect(cases.length).toBe(146));

  for (const c of cases) {
    const name = `line ${c.line}: ${c.comment || c.rrule} (${c.rrule} from ${c.dtstart})`;
    const skip = SKIPPED[c.line];
    if (skip) {
      test.skip(`${name} — ${skip}`, () => {});
      continue;
    }
    test(name, () => {
      const zone = c.dtstart.endsWith("Z") ? "UTC" : null;
      const start = ours(c.dtstart);
      const expected = c.instances?.map(ours) ?? UNIMPLEMENTED_EXPECTED[c.rrule]!;
      const all = listInstances(c.rrule, start, zone, { limit: expected.length + 5 });
      expect(all.instances).toEqual(expected);
      if (c.startAt) {
        const from = listInstances(c.rrule, start, zone, { limit: expected.length + 5, after: ours(c.startAt) });
        expect(from.instances).toEqual(expected.filter((e) => e >= ours(c.startAt!)));
      }
    });
  }
});
