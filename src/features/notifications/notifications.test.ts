// Notifications over real HTTP on a real database: notify inside the change's transaction (a
// rollback stores and announces nothing), preferences, /api/events delivering to the owner only,
// the JSON API (paging, marking read, someone else's ids, bad input). The digest is in
// digest.test.ts, the pages and the bell in pages.test.ts, the pure rules in kinds.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { writeTransaction } from "../../db/transaction";
import { encodeCursor } from "../../lib/pager";
import { events, notifications } from "../../schema";
import { createTestApp, type TestApp } from "../../test/app";
import { api, person, type Person } from "../../test/people";
import { jsonEvents, SseReader } from "../../test/sse";
import { channel } from "../realtime";
import { notify, type NotificationInput, type NotificationView } from "./index";

let t: TestApp;
let ada: Person;
let bob: Person;

beforeAll(async () => {
  t = await createTestApp();
  ada = await person(t, "Ada");
  bob = await person(t, "Bob");
});
afterAll(() => t.close());

/** What a feature does: notify inside its own write transaction. */
function tell(who: Person, input: Partial<NotificationInput> = {}, at?: number) {
  const deps = at === undefined ? t.deps : { ...t.deps, now: () => at };
  return writeTransaction(t.deps.db, (tx) => notify(tx, deps, who.id, { kind: "chat.mention", title: "Bob mentioned you", ...input }));
}

const rowsOf = (who: Person) => t.deps.db.select().from(notifications).where(eq(notifications.userId, who.id));
/** The user's channel's events, but presence (a stream opening announces it). */
const eventsOf = async (who: Person) => (await t.deps.db.select().from(events).where(eq(events.channel, channel.user(who.id)))).filter((row) => row.type !== "presence.changed");

async function stream(who: Person) {
  const response = await t.app.request("/api/events", { headers: { authorization: `Bearer ${who.token}` } });
  expect(response.status).toBe(200);
  return new SseReader(response);
}

async function list(who: Person, query = "") {
  const response = await api(t, who, `/api/notifications${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { notifications: NotificationView[]; nextCursor: string | null; unread: number };
}

describe("notify", () => {
  test("stores the notification and announces notification.created on the user's channel, in the same transaction", async () => {
    const before = (await eventsOf(ada)).length;
    const id = await tell(ada, { title: "Mentioned in #general", body: "hello @ada", url: "/chat/c1" });
    expect(id).toBeString();
    const [row] = (await rowsOf(ada)).filter((r) => r.id === id);
    expect(row).toMatchObject({ kind: "chat.mention", title: "Mentioned in #general", body: "hello @ada", url: "/chat/c1", readAt: null, emailedAt: null });
    const announced = (await eventsOf(ada)).slice(before);
    expect(announced.map((e) => [e.type, e.payload])).toEqual([["notification.created", { notificationId: id, kind: "chat.mention" }]]);
  });

  test("a transaction that rolls back stores and announces nothing", async () => {
    const [rows, announced] = [(await rowsOf(bob)).length, (await eventsOf(bob)).length];
    const reader = await stream(bob);
    const failed = writeTransaction(t.deps.db, async (tx) => {
      await notify(tx, t.deps, bob.id, { kind: "chat.direct", title: "never happened" });
      throw new Error("the change failed");
    });
    await expect(failed).rejects.toThrow("the change failed");
    expect((await rowsOf(bob)).length).toBe(rows);
    expect((await eventsOf(bob)).length).toBe(announced);
    expect(jsonEvents(await reader.drain(300)).filter((e) => e.type === "notification.created")).toEqual([]);
    await reader.close();
  });

  test("a kind set to off stores and announces nothing, and returns null; back on, it stores again", async () => {
    const cy = await person(t, "Cy");
    expect((await api(t, cy, "/api/notifications/preferences", { method: "PUT", json: { preferences: { members: "off" } } })).status).toBe(200);
    expect(await tell(cy, { kind: "members", title: "You joined Acme" })).toBeNull();
    expect(await rowsOf(cy)).toEqual([]);
    expect((await eventsOf(cy)).filter((e) => e.type === "notification.created")).toEqual([]);
    // Other kinds are unaffected; setting it back stores again.
    expect(await tell(cy, { kind: "invitation", title: "Invited to Globex" })).toBeString();
    await api(t, cy, "/api/notifications/preferences", { method: "PUT", json: { preferences: { members: "app" } } });
    expect(await tell(cy, { kind: "members", title: "You left Acme" })).toBeString();
    expect((await rowsOf(cy)).map((r) => r.kind).sort()).toEqual(["invitation", "members"]);
  });

  test("an unknown kind, an empty title or a url off this site is a programming error: it throws and the transaction rolls back", async () => {
    const count = (await rowsOf(ada)).length;
    await expect(tell(ada, { kind: "chat.unknown" })).rejects.toThrow(/Unknown notification kind/);
    await expect(tell(ada, { title: "   " })).rejects.toThrow(/title/);
    for (const url of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]) {
      await expect(tell(ada, { url })).rejects.toThrow(/path on this site/);
    }
    expect((await rowsOf(ada)).length).toBe(count);
  });

  test("an over-long title or body is shortened, not refused", async () => {
    const id = await tell(ada, { title: "t".repeat(500), body: "b".repeat(5000) });
    const [row] = (await rowsOf(ada)).filter((r) => r.id === id);
    expect(row!.title.length).toBe(200);
    expect(row!.body!.length).toBe(1000);
    expect(row!.title.endsWith("…")).toBe(true);
  });
});

describe("/api/events", () => {
  test("delivers notification.created to its owner and never to another user", async () => {
    const [mine, theirs] = [await stream(ada), await stream(bob)];
    const id = await tell(ada, { title: "for Ada only" });
    const got = jsonEvents(await mine.until((m) => m.data.includes("notification.created")));
    expect(got.at(-1)).toMatchObject({ channel: channel.user(ada.id), type: "notification.created", payload: { notificationId: id, kind: "chat.mention" } });
    expect(jsonEvents(await theirs.drain(300)).filter((e) => e.type.startsWith("notification."))).toEqual([]);
    // Marking it read tells the owner's other tabs, and again nobody else.
    expect((await api(t, ada, `/api/notifications/${id}/read`, { method: "POST" })).status).toBe(200);
    expect(jsonEvents(await mine.until((m) => m.data.includes("notification.read"))).at(-1)!.payload).toEqual({ notificationId: id });
    expect(jsonEvents(await theirs.drain(300)).filter((e) => e.type.startsWith("notification."))).toEqual([]);
    await Promise.all([mine.close(), theirs.close()]);
  });
});

describe("the JSON API", () => {
  test("pages newest first by cursor, with nothing doubled or skipped, even for notifications of the same millisecond", async () => {
    const dee = await person(t, "Dee");
    const made: string[] = [];
    const base = t.deps.now();
    // Five at a time share a timestamp: the id breaks the tie.
    for (let i = 0; i < 25; i++) made.push((await tell(dee, { title: `n${i}` }, base + Math.floor(i / 5) * 1000))!);
    const seen: NotificationView[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const page = await list(dee, `?limit=10${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.unread).toBe(25);
      sizes.push(page.notifications.length);
      seen.push(...page.notifications);
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([10, 10, 5]);
    expect(new Set(seen.map((n) => n.id)).size).toBe(25);
    expect(seen.map((n) => n.id).sort()).toEqual([...made].sort());
    // Newest first; within one millisecond, by id (descending).
    const keys = seen.map((n) => [Date.parse(n.createdAt), n.id] as const);
    expect(keys).toEqual([...keys].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1)));
    expect(new Set(keys.map(([at]) => at)).size).toBe(5);
    expect(seen.slice(0, 5).map((n) => n.title).sort()).toEqual(["n20", "n21", "n22", "n23", "n24"]);
    expect(Object.keys(seen[0]!).sort()).toEqual(["body", "createdAt", "id", "kind", "readAt", "title", "url"]);
    // The default page is 20.
    expect((await list(dee)).notifications.length).toBe(20);
  });

  test("mark one read, then all: the unread count follows, and marking again changes nothing", async () => {
    const eli = await person(t, "Eli");
    const [first] = [await tell(eli, { title: "one" }), await tell(eli, { title: "two" }), await tell(eli, { title: "three" })];
    expect((await list(eli)).unread).toBe(3);
    const read = await api(t, eli, `/api/notifications/${first}/read`, { method: "POST" });
    expect(read.status).toBe(200);
    const body = (await read.json()) as { notification: NotificationView; unread: number };
    expect(body.notification.id).toBe(first!);
    expect(body.notification.readAt).toBeString();
    expect(body.unread).toBe(2);
    const again = (await (await api(t, eli, `/api/notifications/${first}/read`, { method: "POST" })).json()) as { notification: NotificationView };
    expect(again.notification.readAt).toBe(body.notification.readAt);
    const all = await api(t, eli, "/api/notifications/read-all", { method: "POST" });
    expect(await all.json()).toEqual({ marked: 2, unread: 0 });
    expect(await (await api(t, eli, "/api/notifications/read-all", { method: "POST" })).json()).toEqual({ marked: 0, unread: 0 });
  });

  test("someone else's notification answers 404, the same as a missing one, and stays unread", async () => {
    const bobs = await tell(bob, { title: "Bob's own" });
    const foreign = await api(t, ada, `/api/notifications/${bobs}/read`, { method: "POST" });
    const missing = await api(t, ada, "/api/notifications/nosuchnotification/read", { method: "POST" });
    const malformed = await api(t, ada, "/api/notifications/bad%20id!/read", { method: "POST" });
    expect([foreign.status, missing.status, malformed.status]).toEqual([404, 404, 404]);
    expect(await foreign.json()).toEqual(await missing.json());
    const [row] = await t.deps.db.select().from(notifications).where(and(eq(notifications.id, bobs!)));
    expect(row!.readAt).toBeNull();
    // Ada's read-all leaves Bob's alone.
    await api(t, ada, "/api/notifications/read-all", { method: "POST" });
    expect((await list(bob)).notifications.find((n) => n.id === bobs)!.readAt).toBeNull();
    // And no list shows another user's notifications.
    expect((await list(ada, "?limit=100")).notifications.some((n) => n.id === bobs)).toBe(false);
  });

  test("a bad limit or cursor is a 400 with the field named", async () => {
    const wrongShape = encodeCursor(["x", 1]);
    const badId = encodeCursor([1, "../etc"]);
    for (const query of ["?limit=0", "?limit=1000", "?limit=101", "?limit=ten", "?limit=-1", "?cursor=garbage!", `?cursor=${wrongShape}`, `?cursor=${badId}`, `?cursor=${"a".repeat(300)}`]) {
      const response = await api(t, ada, `/api/notifications${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { error: { code: string; details: { fieldErrors: Record<string, string[]> } } };
      expect(body.error.code).toBe("validation_failed");
      expect(Object.keys(body.error.details.fieldErrors)).toEqual([query.includes("limit") ? "limit" : "cursor"]);
    }
    expect((await api(t, ada, "/api/notifications?limit=100")).status).toBe(200);
    expect((await api(t, ada, "/api/notifications?limit=1")).status).toBe(200);
  });

  test("preferences: every kind with its default, set some, unknown kinds and deliveries are a 400 that names them", async () => {
    const fay = await person(t, "Fay");
    const got = await api(t, fay, "/api/notifications/preferences");
    const body = (await got.json()) as { preferences: Record<string, string>; kinds: { kind: string; label: string }[] };
    expect(body.preferences).toEqual({ "chat.mention": "email", "chat.direct": "email", invitation: "email", members: "app", "privacy.export": "app", "calendar.invitation": "email", "calendar.rsvp": "app", "calendar.approval": "email", "calendar.reminder": "app", "modules.review": "email", "modules.update": "app", "modules.message": "app", "billing.payment": "email" });
    expect(body.kinds.map((k) => k.label)).toEqual(["Mentions", "Direct messages", "Invitations", "Membership changes", "Data exports", "Event invitations and changes", "Answers to your events", "Answers waiting for a guardian", "Event reminders", "Reviews of your marketplace modules", "Module updates waiting for your consent", "Messages from your modules", "Failed payments of spaces you pay for"]);

    const set = await api(t, fay, "/api/notifications/preferences", { method: "PUT", json: { preferences: { "chat.direct": "app", members: "email" } } });
    expect(set.status).toBe(200);
    expect(((await set.json()) as typeof body).preferences).toEqual({ "chat.mention": "email", "chat.direct": "app", invitation: "email", members: "email", "privacy.export": "app", "calendar.invitation": "email", "calendar.rsvp": "app", "calendar.approval": "email", "calendar.reminder": "app", "modules.review": "email", "modules.update": "app", "modules.message": "app", "billing.payment": "email" });

    const refused = await api(t, fay, "/api/notifications/preferences", { method: "PUT", json: { preferences: { "chat.mention": "off", "no.such.kind": "app", invitation: "sms" } } });
    expect(refused.status).toBe(400);
    const error = ((await refused.json()) as { error: { code: string; details: { fieldErrors: Record<string, string[]> } } }).error;
    expect(error.code).toBe("validation_failed");
    expect(Object.keys(error.details.fieldErrors).sort()).toEqual(["invitation", "no.such.kind"]);
    // Nothing of a refused request is kept.
    expect(((await (await api(t, fay, "/api/notifications/preferences")).json()) as typeof body).preferences["chat.mention"]).toBe("email");

    for (const json of [{}, { preferences: "email" }, { preferences: ["app"] }, { preferences: null }, JSON.parse('{"preferences": {"__proto__": "email"}}')]) {
      expect((await api(t, fay, "/api/notifications/preferences", { method: "PUT", json })).status).toBe(400);
    }
    // The user's own kind names only: another user's preferences are untouched.
    expect(((await (await api(t, ada, "/api/notifications/preferences")).json()) as typeof body).preferences["chat.direct"]).toBe("email");
  });

  test("without a session every endpoint is a 401", async () => {
    for (const [method, path] of [["GET", "/api/notifications"], ["POST", "/api/notifications/read-all"], ["POST", "/api/notifications/x/read"], ["GET", "/api/notifications/preferences"], ["PUT", "/api/notifications/preferences"]] as const) {
      expect((await t.app.request(path, { method })).status, path).toBe(401);
    }
  });
});
