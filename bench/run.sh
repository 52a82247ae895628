#!/usr/bin/env bash
# Load benchmark: the real server in production mode vs a bare Bun.serve hello world, including the
# workspace tab fragments and the user search against a business with BENCH_MEMBERS (default 50) members.
# Writes the results section of docs/performance.md. Only talks to 127.0.0.1.
#
#   npm run bench                  # BENCH_SECONDS=10 per target
#   BENCH_SECONDS=30 BENCH_WARMUP_SECONDS=5 npm run bench
#   BENCH_MEMBERS=150 npm run bench  # a bigger business
#   BENCH_ONLY=ws-members BENCH_OUTPUT=/tmp/perf.md npm run bench  # only the targets with these ids (comma-separated)
#   BENCH_SSE=0 npm run bench        # without the SSE fan-out run (bench/sse-fanout.ts, ~3 minutes)
#
# Reports only: nothing here fails on a slow figure. It fails when the setup does (server down,
# sign-in refused, a target not answering 200).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUN="$ROOT/node_modules/.bin/bun"
SECONDS_PER_TARGET="${BENCH_SECONDS:-10}"
WARMUP="${BENCH_WARMUP_SECONDS:-2}"
CONNECTIONS=50
OUT="${BENCH_OUTPUT:-$ROOT/docs/performance.md}"

die() { echo "bench: $*" >&2; exit 1; }
[[ -x "$BUN" ]] || die "bun not found at $BUN (run npm install)"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install -y wrk)"
command -v curl >/dev/null || die "curl is not installed"
[[ "$SECONDS_PER_TARGET" =~ ^[1-9][0-9]*$ ]] || die "BENCH_SECONDS must be a whole number of seconds"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "BENCH_WARMUP_SECONDS must be a whole number of seconds"

LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v l="${LOAD_AT_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
  echo "bench: warning: the machine is busy (load average $LOAD_AT_START on $(nproc) CPUs); figures will be noisy" >&2
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    # Give each process up to 5 s, then make sure.
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Running, not exited (a child that exited stays a zombie until waited for, and kill -0 still succeeds).
alive() { [[ -r "/proc/$1/status" ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || true; }

# Waits until URL answers 2xx, or fails with the log if the process dies or 30 s pass.
wait_ready() {
  local pid="$1" url="$2" log="$3" name="$4"
  for _ in $(seq 300); do
    if ! alive "$pid"; then
      echo "bench: $name exited before answering $url. Its output:" >&2
      cat "$log" >&2 || true
      exit 1
    fi
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "bench: $name did not answer $url within 30 s. Its output:" >&2
  cat "$log" >&2 || true
  exit 1
}

# --- the real server -------------------------------------------------------------------------
APP_PORT="$("$BUN" bench/free-port.ts)"
APP="http://127.0.0.1:$APP_PORT"
# Started directly (no wrapper), so $! is the bun process whose RSS we read.
TZ=UTC NODE_ENV=production PUBLIC_URL="$APP" SECRET_KEYS="bench:$(head -c 32 /dev/urandom | base64)" RATE_LIMIT=off LOG_LEVEL=silent PORT="$APP_PORT" \
  DATABASE_URL="file:$TMP/bench.db" "$BUN" src/runtime/bun.ts >"$TMP/app.log" 2>&1 &
APP_PID=$!
PIDS+=("$APP_PID")
echo "bench: server pid $APP_PID on $APP, database $TMP/bench.db"
wait_ready "$APP_PID" "$APP/health" "$TMP/app.log" "the server"
RSS_IDLE_KB="$(rss_kb "$APP_PID")"

# --- the hello world baseline -----------------------------------------------------------------
HELLO_PORT="$("$BUN" bench/free-port.ts)"
HELLO="http://127.0.0.1:$HELLO_PORT"
PORT="$HELLO_PORT" "$BUN" bench/hello.ts >"$TMP/hello.log" 2>&1 &
HELLO_PID=$!
PIDS+=("$HELLO_PID")
wait_ready "$HELLO_PID" "$HELLO/" "$TMP/hello.log" "the hello world"

# --- one user, one session token ----------------------------------------------------------------
EMAIL="bench-$$@example.com"
PASSWORD="violet tuba quarry $RANDOM-$RANDOM"
status="$(curl -sS -o "$TMP/register.json" -w '%{http_code}' -X POST "$APP/api/auth/register" \
  -H "Content-Type: application/json" -H "Origin: $APP" \
  --data "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"name\":\"Bench User\",\"acceptTerms\":true}")"
[[ "$status" == 201 ]] || die "register answered $status: $(cat "$TMP/register.json")"
status="$(curl -sS -o "$TMP/login.json" -w '%{http_code}' -X POST "$APP/api/auth/login" \
  -H "Content-Type: application/json" -H "Origin: $APP" \
  --data "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}")"
[[ "$status" == 200 ]] || die "login answered $status: $(cat "$TMP/login.json")"
TOKEN="$("$BUN" -e 'const b = JSON.parse(await Bun.stdin.text()); if (!b.token) process.exit(1); console.log(b.token)' <"$TMP/login.json")" \
  || die "login gave no token: $(cat "$TMP/login.json")"
AUTH="Authorization: Bearer $TOKEN"

# --- a business with members, for the workspace tabs and the user search -----------------------
# The user creates a company through the JSON API (and so owns it); BENCH_MEMBERS more users are
# registered through the API and added to it as members by bench/seed-members.ts.
MEMBERS="${BENCH_MEMBERS:-50}"
[[ "$MEMBERS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_MEMBERS must be a whole number above 0"
status="$(curl -sS -o "$TMP/business.json" -w '%{http_code}' -X POST "$APP/api/businesses" \
  -H "$AUTH" -H "Content-Type: application/json" \
  --data '{"name":"Bench Ltd","kind":"company"}')"
[[ "$status" == 201 ]] || die "create business answered $status: $(cat "$TMP/business.json")"
BUSINESS_ID="$("$BUN" -e 'const b = JSON.parse(await Bun.stdin.text()); if (!b.business?.id) process.exit(1); console.log(b.business.id)' <"$TMP/business.json")" \
  || die "create business gave no id: $(cat "$TMP/business.json")"
MEMBER_COUNT="$("$BUN" bench/seed-members.ts "$APP" "file:$TMP/bench.db" "$BUSINESS_ID" "$MEMBERS")" \
  || die "could not add $MEMBERS members to business $BUSINESS_ID"
[[ "$MEMBER_COUNT" == "$((MEMBERS + 1))" ]] || die "business $BUSINESS_ID has $MEMBER_COUNT members, expected $((MEMBERS + 1))"
echo "bench: business $BUSINESS_ID with $MEMBER_COUNT members (the owner and $MEMBERS added)"

# check_body LABEL URL MUST_CONTAIN MUST_NOT_CONTAIN [HEADER...]: the body (not only the status) is
# what the target is meant to be, e.g. an htmx fragment and not the full page around it.
check_body() {
  local label="$1" url="$2" want="$3" unwanted="$4"
  shift 4
  local hdr=() h code
  for h in "$@"; do hdr+=(-H "$h"); done
  code="$(curl -sS -o "$TMP/check.body" --max-time 5 -w '%{http_code}' "${hdr[@]}" "$url" || true)"
  [[ "$code" == 200 ]] || die "$label: $url answered $code, expected 200: $(head -c 500 "$TMP/check.body")"
  grep -qiF -- "$want" "$TMP/check.body" || die "$label: the answer from $url has no \"$want\": $(head -c 500 "$TMP/check.body")"
  if [[ -n "$unwanted" ]] && grep -qiF -- "$unwanted" "$TMP/check.body"; then
    die "$label: the answer from $url has \"$unwanted\" (a full page, not a fragment?)"
  fi
}

WS="$APP/business/$BUSINESS_ID/workspace"
SEARCH="$APP/api/member/users/search?q=us&businessId=$BUSINESS_ID&limit=20"
# Fragments: the panel heading, no document around it; the members tab lists the seeded members.
check_body "members tab fragment" "$WS/members" 'id="workspace-panel-title"' '<html' "HX-Request: true" "$AUTH"
check_body "members tab fragment" "$WS/members" 'Bench User 001' '' "HX-Request: true" "$AUTH"
check_body "overview tab fragment" "$WS" 'id="workspace-panel-title"' '<html' "HX-Request: true" "$AUTH"
# Without HX-Request the same address is the full page, so the check above does tell them apart.
check_body "members tab page" "$WS/members" '<html' '' "$AUTH"
# The search finds a full page of 20 (every seeded name and email contains "us") and offers more.
check_body "user search" "$SEARCH" '"nextCursor":"' '' "$AUTH"
"$BUN" -e 'const b = JSON.parse(await Bun.stdin.text()); if (b.users?.length !== 20) { console.error(`${b.users?.length} hits`); process.exit(1) }' <"$TMP/check.body" \
  || die "user search: $SEARCH did not give 20 users: $(head -c 500 "$TMP/check.body")"

# --- a busy month in the calendar: 300 events (50 recurring) across 5 calendars, viewer zone off UTC ---------
CALS="$("$BUN" bench/seed-calendar.ts "$APP" "$TOKEN" "$BUSINESS_ID")" || die "could not seed the calendar"
echo "bench: calendar seeded: 300 events in calendars $CALS"
MONTH_GRID="$APP/calendar/grid?view=month&date=2027-03-01&scope=all"
WEEK_VIEW="$APP/calendar?view=week&date=2027-03-08"
CAL_API="$APP/api/calendar/events?from=2027-03-01&to=2027-04-01"
check_body "month grid fragment" "$MONTH_GRID" 'class="cal-month"' '<html' "HX-Request: true" "$AUTH"
# A cell draws at most 3 events (2 and "N more" when busier): every seeded day of March is busy.
chips="$(grep -o 'class="cal-chip ' "$TMP/check.body" | wc -l)"
more="$(grep -o 'class="cal-more"' "$TMP/check.body" | wc -l)"
(( chips >= 60 && more >= 25 )) || die "month grid: $chips events and $more \"more\" links drawn (expected the seeded month)"
check_body "week view fragment" "$WEEK_VIEW" 'class="cal-ev ' '<html' "HX-Request: true" "$AUTH"
check_body "calendar window API" "$CAL_API" '"occurrences":[' '' "$AUTH"
"$BUN" -e 'const b = JSON.parse(await Bun.stdin.text()); if (b.occurrences.length < 500) { console.error(`${b.occurrences.length} occurrences`); process.exit(1) }' <"$TMP/check.body" \
  || die "calendar window API: fewer occurrences than the seeded month holds"

# --- 20 members with a busy March (invited to 30 events each), for free/busy and availability ---------------
(( MEMBERS >= 20 )) || die "the free/busy targets need BENCH_MEMBERS >= 20"
PEOPLE="$("$BUN" bench/seed-availability.ts "$APP" "$TOKEN" "$BUSINESS_ID")" || die "could not seed the members' busy time"
FIVE="$(cut -d, -f1-5 <<<"$PEOPLE")"
FREEBUSY="$APP/api/calendar/freebusy?from=2027-03-01T00:00:00Z&to=2027-04-01T00:00:00Z&userIds=$PEOPLE"
AVAILABILITY="$APP/api/calendar/availability?userIds=$FIVE&from=2027-03-08T00:00:00Z&to=2027-03-22T00:00:00Z&durationMinutes=30"
check_body "free/busy" "$FREEBUSY" '"busy":[{' '' "$AUTH"
"$BUN" -e 'const b = JSON.parse(await Bun.stdin.text()); if (b.users?.length !== 20 || b.users.some((u) => u.busy.length < 20)) { console.error(JSON.stringify(b).slice(0, 300)); process.exit(1) }' <"$TMP/check.body" \
  || die "free/busy: not 20 people with their busy month"
check_body "availability" "$AVAILABILITY" '"slots":[{' '' "$AUTH"

# --- a marketplace module installed in the business, and its token, for the module API target ------------------
MODULE_TOKEN="$("$BUN" bench/seed-module.ts "$APP" "$TOKEN" "file:$TMP/bench.db" "$BUSINESS_ID")" || die "could not seed the module"
MODULE_API="$APP/api/module-runtime/context"
check_body "module API" "$MODULE_API" '"displayName":"Bench User"' '' "Authorization: Bearer $MODULE_TOKEN"

# --- the runs -----------------------------------------------------------------------------------
RES="$TMP/results"
mkdir -p "$RES"
: >"$RES/targets.tsv"

# bench_target ID LABEL BUDGET_MS BUDGET_NAME PID URL [HEADER...]
bench_target() {
  local id="$1" label="$2" budget="$3" budget_name="$4" pid="$5" url="$6"
  shift 6
  [[ -z "${BENCH_ONLY:-}" || ",$BENCH_ONLY," == *",$id,"* ]] || return 0
  local hdr=() h
  for h in "$@"; do hdr+=(-H "$h"); done
  local code
  code="$(curl -sS -o /dev/null --max-time 5 -w '%{http_code}' "${hdr[@]}" "$url" || true)"
  [[ "$code" == 200 ]] || die "$label: $url answered $code before the load, expected 200"
  echo "bench: $label — ${WARMUP}s warm-up, ${SECONDS_PER_TARGET}s measured"
  # BENCH_WRK_SCRIPT (set for one target): a wrk Lua script that shapes each request.
  local script=()
  [[ -n "${BENCH_WRK_SCRIPT:-}" ]] && script=(-s "$BENCH_WRK_SCRIPT")
  if (( WARMUP > 0 )); then
    wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "${script[@]}" "${hdr[@]}" "$url" >/dev/null
  fi
  wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_TARGET}s" --latency "${script[@]}" "${hdr[@]}" "$url" >"$RES/$id.wrk"
  alive "$pid" || die "$label: the process $pid is gone after the load (interrupted, or it crashed)"
  rss_kb "$pid" >"$RES/$id.rss"
  printf '%s\t%s\t%s\t%s\n' "$id" "$label" "$budget" "$budget_name" >>"$RES/targets.tsv"
}

bench_target health "GET /health (JSON, \`select 1\`)" 20 API "$APP_PID" "$APP/health"
bench_target login-page "GET /login (full page)" 20 page "$APP_PID" "$APP/login"
bench_target login-fragment "GET /login (htmx fragment)" 20 fragment "$APP_PID" "$APP/login" "HX-Request: true"
bench_target me "GET /api/auth/me (Bearer)" 10 "auth JSON" "$APP_PID" "$APP/api/auth/me" "$AUTH"
bench_target ws-members "GET /business/:id/workspace/members (htmx fragment, Bearer, $MEMBER_COUNT members)" 20 fragment "$APP_PID" "$WS/members" "HX-Request: true" "$AUTH"
bench_target ws-overview "GET /business/:id/workspace (overview, htmx fragment, Bearer)" 20 fragment "$APP_PID" "$WS" "HX-Request: true" "$AUTH"
bench_target user-search "GET /api/member/users/search?q=us&businessId=…&limit=20 (Bearer)" 20 API "$APP_PID" "$SEARCH" "$AUTH"
bench_target cal-month "GET /calendar/grid, month (htmx fragment, Bearer, 300 events / 50 recurring / 5 calendars)" 20 fragment "$APP_PID" "$MONTH_GRID" "HX-Request: true" "$AUTH"
bench_target cal-week "GET /calendar?view=week (htmx region, Bearer)" 20 fragment "$APP_PID" "$WEEK_VIEW" "HX-Request: true" "$AUTH"
bench_target cal-api "GET /api/calendar/events, a month (Bearer)" 20 API "$APP_PID" "$CAL_API" "$AUTH"
BENCH_CALS="$CALS" BENCH_WRK_SCRIPT="$ROOT/bench/unique-query.lua" \
  bench_target cal-month-drawn "GET /calendar/grid, month, every request a new address (drawn afresh, nothing kept)" 20 fragment "$APP_PID" "$MONTH_GRID" "HX-Request: true" "$AUTH"
bench_target freebusy "GET /api/calendar/freebusy, 20 people × a month (Bearer)" 20 API "$APP_PID" "$FREEBUSY" "$AUTH"
bench_target availability "GET /api/calendar/availability, 5 people × 2 weeks, 30-minute slots (Bearer)" 20 API "$APP_PID" "$AVAILABILITY" "$AUTH"
BENCH_WRK_SCRIPT="$ROOT/bench/new-window.lua" \
  bench_target freebusy-new "GET /api/calendar/freebusy, 20 people, every request a new window (from the kept months)" 20 API "$APP_PID" "$FREEBUSY" "$AUTH"
BENCH_WRK_SCRIPT="$ROOT/bench/new-window.lua" \
  bench_target availability-new "GET /api/calendar/availability, 5 people, every request a new window (from the kept months)" 20 API "$APP_PID" "$AVAILABILITY" "$AUTH"
bench_target module-context "GET /api/module-runtime/context (module token, profile + context scopes)" 20 API "$APP_PID" "$MODULE_API" "Authorization: Bearer $MODULE_TOKEN"
bench_target billing-page "GET /billing/business/:id (the billing region, htmx fragment, Bearer)" 20 fragment "$APP_PID" "$APP/billing/business/$BUSINESS_ID" "HX-Request: true" "$AUTH"
bench_target billing-invoices "GET /api/billing/invoices?contextId=business:… (Bearer)" 20 API "$APP_PID" "$APP/api/billing/invoices?contextId=business:$BUSINESS_ID" "$AUTH"
bench_target hello "Bare Bun.serve hello world" - - "$HELLO_PID" "$HELLO/"

# --- the report ---------------------------------------------------------------------------------
{
  echo "DATE=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "NPROC=$(nproc)"
  echo "CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "BUN_VERSION=$("$BUN" --version)"
  echo "WRK_VERSION=$(wrk --version 2>&1 | head -1 | awk '{print $1, $2}')"
  echo "KERNEL=Linux $(uname -r)"
  echo "SECONDS=$SECONDS_PER_TARGET"
  echo "WARMUP=$WARMUP"
  echo "RSS_IDLE_KB=$RSS_IDLE_KB"
  echo "LOAD_AT_START=$LOAD_AT_START"
} >"$RES/machine.env"

mkdir -p "$(dirname "$OUT")"
"$BUN" bench/report.ts "$RES" "$OUT"

# --- a 5,000-event import, with other requests answered meanwhile; its own marked section of $OUT ---
if [[ -z "${BENCH_ONLY:-}" ]]; then
  "$BUN" bench/import.ts --base-url "$APP" --token "$TOKEN" --output "$OUT" >/dev/null || die "the import run failed (see above)"
fi

# --- sign-ups per second (Argon2id-bound), into one town and spread; its own marked section of $OUT ---
alive "$APP_PID" || die "the server is gone before the registrations run"
"$BUN" bench/registrations.ts --base-url "$APP" --output "$OUT" || die "the registrations run failed (see above)"

# --- live updates: SSE fan-out to 1,000 and 5,000 streams (its own servers); its own marked section of $OUT ---
if [[ "${BENCH_SSE:-1}" != 0 ]]; then
  # Each stream is an open socket in the server and in a client process: raise the soft limit to the hard one.
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  [[ "$(ulimit -n)" == unlimited ]] || (( $(ulimit -n) >= 12000 )) || echo "bench: warning: open files limit $(ulimit -n); 5,000 streams may not open (raise it: ulimit -n 65536)" >&2
  "$BUN" bench/sse-fanout.ts --output "$OUT" || die "the SSE fan-out run failed (see above)"
fi

if [[ -n "${BENCH_KEEP:-}" ]]; then
  mkdir -p "$BENCH_KEEP" && cp "$RES"/* "$BENCH_KEEP"/
  echo "bench: raw wrk output kept in $BENCH_KEEP"
fi
echo "bench: wrote $OUT"
