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
  for (const failure of failedCases(xml)) console.log(`FAILED ${file}: ${failure}`);
  passed += tests - failures - skips;
  failed += failures;
  skipped += skips;
}
/** "file > name: first line of the message" for each test case that failed, so CI's tail names them. */
function failedCases(xml: string): string[] {
  const found: string[] = [];
  for (const match of xml.matchAll(/<testcase\b([^>]*[^/])>([\s\S]*?)<\/testcase>/g)) {
    const body = match[2] ?? "";
    if (!/<(failure|error)\b/.test(body)) continue;
    const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(match[1] ?? "")?.[1] ?? "";
    const text = /<(?:failure|error)\b[^>]*>([^<]*)/.exec(body)?.[1] || /<(?:failure|error)\b[^>]*\bmessage="([^"]*)"/.exec(body)?.[1] || "";
    const decoded = text.replace(/&#10;/g, "\n").replace(/&apos;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    const lines = decoded.split("\n").map((line) => line.trim()).filter(Boolean).slice(0, 8);
    found.push(`${attr("file")}:${attr("line")} > ${attr("name")}\n    ${lines.join("\n    ")}`);
  }
  return found;
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
