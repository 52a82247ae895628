// The event log and its streams over real HTTP (app.request) on a real database: who may read
// what, replay after an id with nothing lost or doubled, members removed mid-stream, the one-
// transaction rule, pruning, the planned end, and Workers' one-poller-per-stream mode.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeTransaction } from "../../db/transaction";
import { events, householdMembers, households } from "../../schema";
import { createTestApp, type TestApp } from "../../test/app";
import { addBusinessMember, api, business, household, person, type Person } from "../../test/people";
import { jsonEvents as allEvents, SseReader, type SseMessage } from "../../test/sse";
import { accessChanged, BUN_TIMING, channel, publish, pruneEvents, WORKER_TIMING, withStreamSeconds, type LiveEvent } from "./index";

let t: TestApp;
let ada: Person;
let bob: Person;
let eve: Person;
let acme: string;
let globex: string;
let home: string;

beforeAll(async () => {
  t = await createTestApp();
  ada = await person(t, "Ada");
  bob = await person(t, "Bob");
  eve = await person(t, "Eve");
  acme = await business(t, ada, [[bob, "member"]], "Acme");
  globex = await business(t, eve, [], "Globex");
  home = await household(t, eve, "Eve's home");
});
afterAll(() => t.close());

/** Writes events the way a feature does: in a write transaction. */
function announce(...list: LiveEvent[]) {
  return writeTransaction(t.deps.db, (tx) => publish(tx, t.deps, ...list));
}

function stream(who: Person, path = "/api/events", headers: Record<string, string> = {}) {
  return Promise.resolve(t.app.request(path, { headers: { authorization: `Bearer ${who.token}`, ...headers } })).then((response) => {
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/event-stream");
    return new SseReader(response);
  });
}

// Streams opening and closing announce presence (features/presence) on these same channels; what is
// checked here is everything else.
const isPresence = (message: SseMessage) => message.data.includes('"type":"presence.changed"');
const jsonEvents = (messages: SseMessage[]) => allEvents(messages.filter((message) => !isPresence(message)));

const types = (reader: SseReader, type: string) => reader.until((m) => m.data.includes(`"type":"${type}"`));

describe("who may read what", () => {
  test("a stream carries the caller's own channel and contexts, and nothing of anyone else's, whatever the query asks", async () => {
    const asked = [channel.business(globex), channel.household(home), channel.user(eve.id), channel.conversation("x"), channel.business(acme)].join(",");
    const readers = [await stream(bob), await stream(bob, `/api/events?channels=${encodeURIComponent(asked)}`)];
    await announce(
      { channel: channel.business(globex), type: "test.secret" },
      { channel: channel.household(home), type: "test.secret" },
      { channel: channel.user(eve.id), type: "test.secret" },
      { channel: channel.conversation("x"), type: "test.secret" },
      { channel: channel.user(bob.id), type: "test.mine" },
      { channel: channel.business(acme), type: "test.acme" },
    );
    const [all, narrowed] = readers as [SseReader, SseReader];
    const got = jsonEvents(await all.until((m) => m.data.includes("test.acme")));
    expect(got.map((e) => `${e.channel} ${e.type}`)).toEqual([`user:${bob.id} test.mine`, `business:${acme} test.acme`]);
    // Narrowed to what was asked and allowed: only Acme (bob's own channel was not asked for).
    expect(jsonEvents(await narrowed.until((m) => m.data.includes("test.acme"))).map((e) => e.type)).toEqual(["test.acme"]);
    expect(jsonEvents(await all.drain(300)).filter((e) => e.type === "test.secret")).toEqual([]);
    await Promise.all(readers.map((r) => r.close()));
  });

  test("the JSON event is {id, channel, type, payload, at} and the SSE id is the log id", async () => {
    const reader = await stream(ada);
    await announce({ channel: channel.business(acme), type: "test.shape", payload: { n: 1 } });
    const [message] = (await types(reader, "test.shape")).slice(-1);
    const event = JSON.parse(message!.data);
    expect(Object.keys(event).sort()).toEqual(["at", "channel", "id", "payload", "type"]);
    expect(event.payload).toEqual({ n: 1 });
    expect(message!.id).toBe(String(event.id));
    expect(reader.retry).toBe(1000);
    await reader.close();
  });

  test("no stream without a session, a malformed id or channel is a 400, and the page stream needs the cookie", async () => {
    expect((await t.app.request("/api/events")).status).toBe(401);
    expect((await t.app.request("/events")).status).not.toBe(200);
    const bad = await t.app.request("/api/events?lastEventId=abc", { headers: { authorization: `Bearer ${ada.token}` } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
    const badChannel = await t.app.request("/api/events?channels=admin:*", { headers: { authorization: `Bearer ${ada.token}` } });
    expect(badChannel.status).toBe(400);
  });
});

describe("resuming", () => {
  test("Last-Event-ID and ?lastEventId= replay exactly what came after, then go on live, with nothing doubled", async () => {
    const first = await stream(ada);
    await announce({ channel: channel.business(acme), type: "test.r1" });
    const [r1] = jsonEvents((await types(first, "test.r1")).slice(-1));
    await first.close();
    await announce({ channel: channel.business(acme), type: "test.r2" }, { channel: channel.business(globex), type: "test.other" }, { channel: channel.business(acme), type: "test.r3" });

    for (const open of [() => stream(ada, "/api/events", { "last-event-id": String(r1!.id) }), () => stream(ada, `/api/events?lastEventId=${r1!.id}`)]) {
      const reader = await open();
      const replayed = jsonEvents(await types(reader, "test.r3"));
      expect(replayed.map((e) => e.type)).toEqual(["test.r2", "test.r3"]);
      await announce({ channel: channel.business(acme), type: "test.live" });
      const live = jsonEvents(await types(reader, "test.live"));
      expect(live.map((e) => e.type)).toEqual(["test.live"]);
      await reader.close();
    }
  });

  test("the header wins over the query (the browser's own reconnect knows better than the page's URL)", async () => {
    const reader = await stream(ada);
    await announce({ channel: channel.business(acme), type: "test.h1" }, { channel: channel.business(acme), type: "test.h2" });
    const [h1] = jsonEvents(await types(reader, "test.h1"));
    await reader.close();
    const again = await stream(ada, "/api/events?lastEventId=0", { "last-event-id": String(h1!.id) });
    expect(jsonEvents(await types(again, "test.h2")).map((e) => e.type)).toEqual(["test.h2"]);
    await again.close();
  });

  test("an id whose rows were pruned (or from the future) answers resync, then goes on live", async () => {
    const reader = await stream(ada);
    await announce({ channel: channel.business(acme), type: "test.old" });
    const [old] = jsonEvents(await types(reader, "test.old"));
    await reader.close();
    await announce({ channel: channel.business(acme), type: "test.newer" }, { channel: channel.business(acme), type: "test.newest" });
    // Everything but the newest row is older than "now + 1 s".
    expect(await pruneEvents(t.deps.db, t.deps.now() + 1000)).toBeGreaterThan(0);
    for (const id of [old!.id, 10 ** 12]) {
      const resumed = await stream(ada, `/api/events?lastEventId=${id}`);
      const [resync] = jsonEvents(await types(resumed, "stream.resync"));
      expect(resync!.channel).toBe(channel.user(ada.id));
      await announce({ channel: channel.business(acme), type: "test.after-resync" });
      expect(jsonEvents(await types(resumed, "test.after-resync")).map((e) => e.type)).toEqual(["test.after-resync"]);
      await resumed.close();
    }
  });

  test("pruning keeps the newest row, so 'nothing happened since' is not mistaken for 'pruned'", async () => {
    await announce({ channel: channel.business(acme), type: "test.keep" });
    await pruneEvents(t.deps.db, t.deps.now() + 60_000);
    const rows = await t.deps.db.select().from(events);
    expect(rows.map((row) => row.type)).toEqual(["test.keep"]);
    const resumed = await stream(ada, `/api/events?lastEventId=${rows[0]!.id}`);
    await announce({ channel: channel.business(acme), type: "test.next" });
    expect(jsonEvents(await types(resumed, "test.next")).map((e) => e.type)).toEqual(["test.next"]);
    await resumed.close();
  });
});

describe("one transaction", () => {
  test("a write that fails announces nothing: its events roll back with it", async () => {
    const reader = await stream(ada);
    const before = await t.deps.db.$count(events);
    await expect(
      writeTransaction(t.deps.db, async (tx) => {
        await publish(tx, t.deps, { channel: channel.business(acme), type: "test.rolled-back" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await t.deps.db.$count(events)).toBe(before);
    await announce({ channel: channel.business(acme), type: "test.committed" });
    expect(jsonEvents(await types(reader, "test.committed")).map((e) => e.type)).toEqual(["test.committed"]);
    await reader.close();
  });
});

describe("membership changes reach open streams", () => {
  test("a member removed from a business stops receiving its events on the stream already open", async () => {
    const carol = await person(t, "Carol");
    await addBusinessMember(t, acme, carol, "member");
    const reader = await stream(carol);
    await announce({ channel: channel.business(acme), type: "test.before-removal" });
    await types(reader, "test.before-removal");
    const removed = await api(t, ada, `/api/businesses/${acme}/members/${carol.id}`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    // The removal itself is announced to her (access.changed); nothing of Acme after it.
    await types(reader, "access.changed");
    await announce({ channel: channel.business(acme), type: "test.after-removal" }, { channel: channel.user(carol.id), type: "test.marker" });
    const after = jsonEvents(await types(reader, "test.marker"));
    expect(after.map((e) => e.type)).toEqual(["test.marker"]);
    await reader.close();
  });

  test("joining a household adds its channel to the open stream", async () => {
    const dan = await person(t, "Dan");
    const reader = await stream(dan);
    const theirs = await household(t, dan, "Dan's flat");
    await announce({ channel: channel.household(theirs), type: "test.household" });
    expect(jsonEvents(await types(reader, "test.household")).at(-1)!.channel).toBe(channel.household(theirs));
    await reader.close();
  });

  test("an event of a context joined in the same breath (one poll) still arrives: the stream catches up on new channels", async () => {
    const gus = await person(t, "Gus");
    const reader = await stream(gus);
    const flat = "gusflat" + Date.now();
    await writeTransaction(t.deps.db, async (tx) => {
      await tx.insert(households).values({ id: flat, name: "Gus's flat", childrenMayPost: false, createdBy: gus.id, createdAt: 1, updatedAt: 1 });
      await tx.insert(householdMembers).values({ householdId: flat, userId: gus.id, role: "owner", joinedAt: 1 });
      await accessChanged(tx, t.deps, [gus.id]);
      await publish(tx, t.deps, { channel: channel.household(flat), type: "test.same-breath" });
    });
    expect(jsonEvents(await types(reader, "test.same-breath")).at(-1)!.channel).toBe(channel.household(flat));
    await reader.close();
  });

  test("a row of a channel just joined, right behind the access.changed that opened it, is not dropped by the old channels", async () => {
    const kit = await person(t, "Kit");
    const reader = await stream(kit);
    await writeTransaction(t.deps.db, async (tx) => {
      await tx.insert(householdMembers).values({ householdId: home, userId: kit.id, role: "adult", joinedAt: t.deps.now() });
      await accessChanged(tx, t.deps, [kit.id]);
      await publish(tx, t.deps, { channel: channel.household(home), type: "test.right-behind" });
    });
    expect(jsonEvents(await types(reader, "test.right-behind")).at(-1)!.channel).toBe(channel.household(home));
    await reader.close();
  });

  test("a replay does not hand out what was published after the caller left", async () => {
    const fay = await person(t, "Fay");
    await addBusinessMember(t, acme, fay, "member");
    const reader = await stream(fay);
    await announce({ channel: channel.business(acme), type: "test.fay-start" });
    const [start] = jsonEvents(await types(reader, "test.fay-start"));
    await reader.close();
    expect((await api(t, fay, `/api/businesses/${acme}/members/${fay.id}`, { method: "DELETE" })).status).toBe(204);
    await announce({ channel: channel.business(acme), type: "test.gone" }, { channel: channel.user(fay.id), type: "test.fay-end" });
    const resumed = await stream(fay, `/api/events?lastEventId=${start!.id}`);
    const replayed = jsonEvents(await types(resumed, "test.fay-end")).map((e) => e.type);
    expect(replayed).not.toContain("test.gone");
    await resumed.close();
  });
});

describe("limits and lifetime", () => {
  test("one user may hold a bounded number of streams; closing one frees its place", async () => {
    const limited = await createTestApp({ EVENT_STREAMS_PER_USER: "2" });
    try {
      const gil = await person(limited, "Gil");
      const open = () => limited.app.request("/api/events", { headers: { authorization: `Bearer ${gil.token}` } });
      const [a, b] = [new SseReader(await open()), new SseReader(await open())];
      await Promise.all([a.next(500), b.next(500)]);
      const third = await open();
      expect(third.status).toBe(429);
      expect(third.headers.get("retry-after")).toBeTruthy();
      await a.close();
      await Bun.sleep(50);
      const again = await open();
      expect(again.status).toBe(200);
      await Promise.all([b.close(), new SseReader(again).close()]);
    } finally {
      limited.close();
    }
  });

  test("a stream ends itself after its life with retry:, sends heartbeats while quiet, and the next picks up what came between", async () => {
    const short = await createTestApp({}, { streamMs: 600, heartbeatMs: 100 });
    try {
      const hal = await person(short, "Hal");
      const open = async (headers: Record<string, string> = {}) => new SseReader(await short.app.request("/api/events", { headers: { authorization: `Bearer ${hal.token}`, ...headers } }));
      const first = await open();
      await writeTransaction(short.deps.db, (tx) => publish(tx, short.deps, { channel: channel.user(hal.id), type: "test.one" }));
      const untilOne = await first.until((m) => m.data.includes("test.one"));
      const [one] = jsonEvents(untilOne);
      const drained = await first.drain(2000);
      expect(drained.filter((message) => !isPresence(message))).toEqual([]);
      expect(first.ended).toBe(true);
      expect(first.comments).toBeGreaterThan(1);
      expect(first.retry).toBe(1000);
      await writeTransaction(short.deps.db, (tx) => publish(tx, short.deps, { channel: channel.user(hal.id), type: "test.two" }));
      const next = await open({ "last-event-id": first.lastEventId! });
      expect(first.lastEventId).toBe([...untilOne, ...drained].at(-1)!.id);
      expect(Number(first.lastEventId)).toBeGreaterThanOrEqual(one!.id);
      expect(jsonEvents(await next.until((m) => m.data.includes("test.two"))).map((e) => e.type)).toEqual(["test.two"]);
      await next.close();
    } finally {
      short.close();
    }
  });

  test("EVENTS_STREAM_SECONDS sets a stream's life; a short stream still heartbeats before its end; unset keeps the runtime's", () => {
    expect(withStreamSeconds(WORKER_TIMING, undefined)).toBe(WORKER_TIMING);
    expect(withStreamSeconds(WORKER_TIMING, 6)).toEqual({ ...WORKER_TIMING, streamMs: 6000, heartbeatMs: 3000 });
    expect(withStreamSeconds(BUN_TIMING, 600)).toEqual({ ...BUN_TIMING, streamMs: 600_000 });
    expect(withStreamSeconds(WORKER_TIMING, 2).heartbeatMs).toBe(1000);
  });

  test("Workers mode: each stream polls for itself and still delivers, in order, only what it may read", async () => {
    const worker = await createTestApp({}, { shared: false, pollMs: 50 });
    try {
      const ivy = await person(worker, "Ivy");
      const jon = await person(worker, "Jon");
      const reader = new SseReader(await worker.app.request("/api/events", { headers: { authorization: `Bearer ${ivy.token}` } }));
      await reader.next(200);
      // Written as another instance would: no signal reaches this one, only the poll.
      await worker.deps.db.insert(events).values([
        { channel: channel.user(jon.id), type: "test.not-yours", payload: {}, at: 1 },
        { channel: channel.user(ivy.id), type: "test.w1", payload: {}, at: 1 },
        { channel: channel.user(ivy.id), type: "test.w2", payload: {}, at: 1 },
      ]);
      expect(jsonEvents(await reader.until((m) => m.data.includes("test.w2"))).map((e) => e.type)).toEqual(["test.w1", "test.w2"]);
      await reader.close();
    } finally {
      worker.close();
    }
  });
});
