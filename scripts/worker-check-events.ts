// The live-updates part of scripts/worker-check.sh, run by Bun: a Bun server and the Worker (under
// wrangler dev) share one sqld database; an event written through the Bun server must reach
// /api/events on the Worker, the stream must end itself at its planned end (EVENTS_STREAM_SECONDS)
// with a `retry:` hint, and a reconnect with Last-Event-ID must replay what was written in the gap
// exactly once, then go on live.
// Env: WORKER_ORIGIN, BUN_ORIGIN, TOKEN (a session of a user with no other activity), DB_URL, STREAM_SECONDS.
// Prints `ok <check>` or `FAIL <check>: <why>` per check; stops at the first failure, since each
// check needs the one before.
import { createClient } from "@libsql/client";
import { jsonEvents, SseReader, type SseMessage } from "../src/test/sse";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const WORKER = required("WORKER_ORIGIN");
const BUN = required("BUN_ORIGIN");
const auth = { authorization: `Bearer ${required("TOKEN")}` };
const STREAM_MS = Number(required("STREAM_SECONDS")) * 1000;
/** How long past its planned end a stream may take to close (the Worker polls once a second). */
const SLACK_MS = 10_000;
const db = createClient({ url: required("DB_URL") });

class CheckFailed extends Error {}

async function check(name: string, run: () => Promise<string | true>): Promise<void> {
  let outcome: string | true;
  try {
    outcome = await run();
  } catch (error) {
    outcome = error instanceof Error ? error.message : String(error);
  }
  if (outcome === true) {
    console.log(`ok ${name}`);
    return;
  }
  console.log(`FAIL ${name}: ${outcome.replace(/\s+/g, " ").slice(0, 600)}`);
  throw new CheckFailed();
}

function openStream(lastEventId?: string): Promise<Response> {
  return fetch(`${WORKER}/api/events`, { headers: { ...auth, ...(lastEventId ? { "last-event-id": lastEventId } : {}) } });
}

/** A real write through the Bun server's API: a new business publishes access.changed on its owner's channel. */
async function createBusinessOnBun(name: string): Promise<void> {
  const response = await fetch(`${BUN}/api/businesses`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ name, kind: "company" }),
  });
  if (response.status !== 201) throw new Error(`POST /api/businesses on Bun answered ${response.status}: ${await response.text()}`);
}

/** The log's rows after `after`, straight from the database. */
async function logAfter(after: number): Promise<Array<{ id: number; channel: string; type: string }>> {
  // Presence rows (the streams themselves make their user online and offline) come and go with timing; the check follows the rest.
  const result = await db.execute({ sql: "select id, channel, type from events where id > ? and type <> 'presence.changed' order by id", args: [after] });
  return result.rows.map((row) => ({ id: Number(row.id), channel: String(row.channel), type: String(row.type) }));
}

const withoutPresence = (messages: SseMessage[]) => messages.filter((message) => !message.data.includes('"type":"presence.changed"'));

/** Everything until the stream ends by itself; null when it is still open after `ms`. */
async function readToEnd(reader: SseReader, ms: number): Promise<SseMessage[] | null> {
  const deadline = Date.now() + ms;
  const seen: SseMessage[] = [];
  while (!reader.ended) {
    const left = deadline - Date.now();
    if (left <= 0) return null;
    const message = await reader.next(left);
    if (message) seen.push(message);
  }
  return seen;
}

const summary = (messages: SseMessage[]) => JSON.stringify(messages.map((m) => ({ id: m.id, data: m.data.slice(0, 120) })));

async function main() {
  const me = await fetch(`${WORKER}/api/auth/me`, { headers: auth });
  if (me.status !== 200) throw new Error(`GET /api/auth/me on the Worker answered ${me.status}`);
  const userChannel = `user:${((await me.json()) as { user: { id: string } }).user.id}`;

  await check("GET /api/events on the Worker refuses a caller without a session", async () => {
    const response = await fetch(`${WORKER}/api/events`);
    await response.body?.cancel();
    return response.status === 401 || `${response.status}`;
  });

  // 1. A stream on the Worker; the write goes through the Bun server; the Worker's stream polls sqld.
  let reader!: SseReader;
  const openedAt = Date.now();
  await check("GET /api/events on the Worker streams text/event-stream", async () => {
    const response = await openStream();
    reader = new SseReader(response);
    return (response.status === 200 && response.headers.get("content-type")?.startsWith("text/event-stream")) || `${response.status} ${response.headers.get("content-type")}`;
  });

  let first!: { id: number };
  await check("an event written by the Bun server arrives on the Worker's stream with its id", async () => {
    await createBusinessOnBun("Live One");
    const written = (await logAfter(0)).filter((row) => row.channel === userChannel).at(-1);
    const seen = withoutPresence(await reader.until((message) => jsonEvents([message])[0]!.type === "access.changed", SLACK_MS));
    const event = jsonEvents(seen)[0]!;
    first = event;
    if (seen.length !== 1) return `expected one event, saw ${summary(seen)}`;
    return (written !== undefined && event.id === written.id && seen[0]!.id === String(written.id) && event.channel === userChannel) || `log row ${JSON.stringify(written)}, stream ${summary(seen)}`;
  });

  // 2. Quiet until the planned end: heartbeats, nothing else, then the stream closes itself.
  const commentsBefore = reader.comments;
  let rest: SseMessage[] | null = null;
  await check(`the stream ends by itself after its planned ${STREAM_MS / 1000} s, having sent retry:`, async () => {
    rest = await readToEnd(reader, STREAM_MS + SLACK_MS);
    const lived = Date.now() - openedAt;
    if (rest === null) return `still open ${(STREAM_MS + SLACK_MS) / 1000} s later`;
    if (lived < STREAM_MS - 500) return `ended after ${lived} ms, before its planned end`;
    return (reader.retry !== null && reader.retry > 0) || "no retry: field";
  });
  await check("while quiet the stream sends heartbeat comments and nothing else", async () => {
    // Presence is the one thing a quiet stream may carry: the stream itself made its user online.
    const unexpected = rest!.filter((message) => !message.data.includes('"type":"presence.changed"'));
    if (unexpected.length) return `unexpected messages ${summary(unexpected)}`;
    return reader.comments > commentsBefore || "no comment after the event";
  });

  // 3. Writes in the gap, then a reconnect after the last id: the gap replayed once, then live again.
  const lastId = reader.lastEventId;
  const newest = [String(first.id), ...rest!.map((message) => message.id)].at(-1);
  await check("the client's last id is the newest event it was sent", async () => lastId === newest || `last id ${lastId}, newest sent ${newest}`);
  await createBusinessOnBun("Gap One");
  await createBusinessOnBun("Gap Two");
  const gap = await logAfter(Number(lastId));

  let again!: SseReader;
  let replayed: SseMessage[] = [];
  await check("the Worker's stream resumes after Last-Event-ID", async () => {
    if (gap.length < 2) return `expected two rows written in the gap, the log has ${JSON.stringify(gap)}`;
    const response = await openStream(lastId!);
    again = new SseReader(response);
    if (response.status !== 200) return `${response.status}`;
    replayed = withoutPresence(await again.until((message) => message.id === String(gap.at(-1)!.id), SLACK_MS));
    return replayed.length === gap.length || `replayed ${summary(replayed)}, the gap is ${JSON.stringify(gap)}`;
  });

  await check("the gap's events are replayed exactly once, in order, and a live one follows; nothing lost or doubled", async () => {
    await createBusinessOnBun("Live Two");
    const tail = await readToEnd(again, STREAM_MS + SLACK_MS);
    if (tail === null) return "the resumed stream did not end by itself";
    const expected = await logAfter(Number(lastId));
    const messages = [...replayed, ...withoutPresence(tail)];
    const received = messages.map((message) => message.id);
    if (jsonEvents(messages).some((event, i) => String(event.id) !== received[i])) return `SSE ids differ from the events' ids: ${summary(messages)}`;
    if (expected.length !== gap.length + 1) return `expected one live row after the gap, the log has ${JSON.stringify(expected)}`;
    return JSON.stringify(received) === JSON.stringify(expected.map((row) => String(row.id))) || `received ${JSON.stringify(received)}, log ${JSON.stringify(expected)}`;
  });
}

try {
  await main();
} catch (error) {
  if (!(error instanceof CheckFailed)) {
    console.log(`FAIL live updates on the Worker: ${error instanceof Error ? error.message : String(error)}`);
  }
} finally {
  db.close();
}
