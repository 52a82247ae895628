// The process's own zone must not matter: the same expansions (process-zone.fixture.ts) run in child processes
// with TZ=Pacific/Auckland, America/Los_Angeles and UTC, and all give the instants this process gets.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { run } from "./process-zone.fixture";

const FIXTURE = join(import.meta.dir, "process-zone.fixture.ts");

async function inZone(tz: string) {
  const child = Bun.spawn([process.execPath, FIXTURE], { env: { ...process.env, TZ: tz }, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`child with TZ=${tz} failed: ${err}`);
  return JSON.parse(out) as { processZone: string; offsetMinutes: number; result: ReturnType<typeof run> };
}

describe("independent of the process zone", () => {
  test("Pacific/Auckland, America/Los_Angeles and UTC processes give identical instants", async () => {
    const here = run();
    expect(here.expansions.flat().length).toBeGreaterThan(400);
    const children = await Promise.all(["Pacific/Auckland", "America/Los_Angeles", "UTC"].map(inZone));
    // The children really ran in those zones (else this test would prove nothing).
    expect(children.map((c) => c.processZone)).toEqual(["Pacific/Auckland", "America/Los_Angeles", "UTC"]);
    expect(children.map((c) => c.offsetMinutes)).toEqual([-780, 480, 0]);
    for (const child of children) expect(child.result).toEqual(here);
  });
});
