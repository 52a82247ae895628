// Sums JUnit XML reports (bun test's and our scripts') and prints the one line CI reads:
// `N passed, N failed` (`, N skipped` when some were). A stage named here without a report failed.
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`missing report: ${file} (that stage crashed before reporting)`);
    failed += 1;
    continue;
  }
  const xml = readFileSync(file, "utf8");
  const root = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? /<testsuite\b[^>]*>/.exec(xml)?.[0] ?? "";
  const attr = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
  const tests = attr("tests");
  const failures = attr("failures") + attr("errors");
  const skips = attr("skipped");
  if (tests === 0) {
    console.error(`empty report: ${file}`);
    failed += 1;
    continue;
  }
  passed += tests - failures - skips;
  failed += failures;
  skipped += skips;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
