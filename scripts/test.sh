#!/usr/bin/env bash
# Every test, in the order a failure is cheapest to read:
#   1. the unit and HTTP suite on an embedded libSQL file,
#   2. the same suite against real sqld servers,
#   3. headless Chromium journeys against a running server,
#   4. the Cloudflare Worker bundled and run under wrangler dev (workerd) against sqld.
# Ends with one line, `N passed, N failed`, summed from the JUnit reports.
set -uo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC
BUN=node_modules/.bin/bun
out=test-results
rm -rf "$out" && mkdir -p "$out"

stage() { printf '\n=== %s\n' "$1"; }

stage "unit + HTTP on a libSQL file"
$BUN test src --timeout 20000 --reporter=junit --reporter-outfile="$out/file.xml"

stage "unit + HTTP on sqld"
TEST_DATABASE=sqld $BUN test src --timeout 20000 --reporter=junit --reporter-outfile="$out/sqld.xml"

stage "end to end in Chromium"
$BUN test tests/e2e --timeout 60000 --reporter=junit --reporter-outfile="$out/e2e.xml"

stage "Cloudflare Worker under wrangler dev"
JUNIT_OUT="$out/worker.xml" bash scripts/worker-check.sh

stage "summary"
$BUN scripts/junit-summary.ts "$out/file.xml" "$out/sqld.xml" "$out/e2e.xml" "$out/worker.xml"
