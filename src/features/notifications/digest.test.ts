// The email digest on a real database and the real outbox mailer: one message per user listing
// everything waiting, claimed before it is sent so a second or concurrent run mails nothing, and
// only for users away long enough and kinds they get by email. notify and the API are tested in
// notifications.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import { writeTransaction } from "../../db/transaction";
import type { Deps } from "../../deps";
import { notifications } from "../../schema";
import { createTestApp, type TestApp } from "../../test/app";
import { mailTo } from "../../test/mail";
import { api, person, type Person } from "../../test/people";
import { notify, sendDigests, type NotificationInput } from "./index";
import { DIGEST_LIST_MAX, digestMessage } from "./digest";

const MINUTE = 60_000;
const AWAY = 15 * MINUTE;

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: "https://blocks.example" });
});
afterAll(() => t.close());

function tell(who: Person, input: Partial<NotificationInput> = {}) {
  return writeTransaction(t.deps.db, (tx) => notify(tx, t.deps, who.id, { kind: "chat.mention", title: "You were mentioned", ...input }));
}

/** The digests mailed to this person (not the address confirmation sent at sign-up). */
const digestsTo = async (who: Person) => (await mailTo(t, who.email)).filter((mail) => mail.textBody.includes("/notifications/settings"));

const rowsOf = (who: Person) => t.deps.db.select().from(notifications).where(eq(notifications.userId, who.id));

describe("sendDigests", () => {
  test("one message per user lists all their waiting notifications with links, marks them emailed, and a second run sends nothing", async () => {
    const ada = await person(t, "Ada");
    const bob = await person(t, "Bob");
    await tell(ada, { title: "Bob mentioned you in #general", body: "@ada can you look?", url: "/chat/c1" });
    await tell(ada, { kind: "chat.direct", title: "New message from Bob" });
    await tell(ada, { kind: "invitation", title: "Invited to Globex", url: "/invitations" });
    await tell(bob, { title: "Ada mentioned you" });
    t.advance(AWAY + MINUTE);

    const first = await sendDigests(t.deps);
    expect(first.mailed).toBeGreaterThanOrEqual(2);
    const [adaMail, ...more] = await digestsTo(ada);
    expect(more).toEqual([]);
    expect(adaMail!.subject).toBe("3 new notifications on Block on Block");
    for (const text of ["Hello Ada,", "Bob mentioned you in #general", "@ada can you look?", "https://blocks.example/chat/c1", "New message from Bob", "Invited to Globex", "https://blocks.example/invitations", "https://blocks.example/notifications/settings"]) {
      expect(adaMail!.textBody).toContain(text);
    }
    const [bobMail, ...bobMore] = await digestsTo(bob);
    expect(bobMore).toEqual([]);
    expect(bobMail!.subject).toBe("Ada mentioned you");
    expect((await rowsOf(ada)).every((row) => row.emailedAt !== null && row.readAt === null)).toBe(true);

    t.advance(AWAY + MINUTE);
    expect(await sendDigests(t.deps)).toEqual({ mailed: 0, notifications: 0 });
    expect((await digestsTo(ada)).length).toBe(1);
    expect((await digestsTo(bob)).length).toBe(1);
  });

  test("two runs at once (two instances on one database) send one mail", async () => {
    const cy = await person(t, "Cy");
    await tell(cy, { title: "first" });
    await tell(cy, { title: "second" });
    t.advance(AWAY + MINUTE);
    // Another instance: on sqld its own connection to the same database. (A second connection to a
    // local file in one process would wait synchronously on the first one's lock, blocking the
    // event loop that would release it; there, the two share the connection as the brief's two deps do.)
    const other = process.env.TEST_DATABASE === "sqld" ? await openDatabase(t.deps.config.DATABASE_URL) : null;
    try {
      const instances: Deps[] = [{ ...t.deps }, { ...t.deps, db: other?.db ?? t.deps.db }, { ...t.deps }];
      const outcomes = await Promise.all(instances.map((deps) => sendDigests(deps)));
      expect(outcomes.reduce((sum, o) => sum + o.mailed, 0)).toBe(1);
      const mails = await digestsTo(cy);
      expect(mails.length).toBe(1);
      expect(mails[0]!.textBody).toContain("first");
      expect(mails[0]!.textBody).toContain("second");
    } finally {
      other?.client.close();
    }
  });

  test("a user seen recently gets no mail until they have been away long enough", async () => {
    const dee = await person(t, "Dee");
    await tell(dee, { title: "while you were here" });
    t.advance(AWAY + MINUTE);
    // Dee uses the app (any request touches the session): seen just now.
    expect((await api(t, dee, "/api/notifications")).status).toBe(200);
    await sendDigests(t.deps);
    expect(await digestsTo(dee)).toEqual([]);
    t.advance(AWAY - MINUTE);
    await sendDigests(t.deps);
    expect(await digestsTo(dee)).toEqual([]);
    t.advance(2 * MINUTE);
    await sendDigests(t.deps);
    expect((await digestsTo(dee)).length).toBe(1);
  });

  test("a notification is mailed only once it has waited awayAfterMs, so a burst becomes one message", async () => {
    const eli = await person(t, "Eli");
    t.advance(2 * AWAY); // long gone
    await tell(eli, { title: "burst 1" });
    await sendDigests(t.deps);
    expect(await digestsTo(eli)).toEqual([]);
    t.advance(5 * MINUTE);
    await tell(eli, { title: "burst 2" });
    t.advance(AWAY - 5 * MINUTE);
    await sendDigests(t.deps);
    const mails = await digestsTo(eli);
    expect(mails.length).toBe(1);
    expect(mails[0]!.textBody).toContain("burst 1");
    expect(mails[0]!.textBody).toContain("burst 2");
  });

  test("kinds set to 'app' (by default or by the user), read notifications and 'off' kinds are not mailed", async () => {
    const fay = await person(t, "Fay");
    expect((await api(t, fay, "/api/notifications/preferences", { method: "PUT", json: { preferences: { "chat.direct": "app" } } })).status).toBe(200);
    await tell(fay, { kind: "members", title: "You joined Acme" }); // 'app' by default
    await tell(fay, { kind: "chat.direct", title: "A direct message" }); // set to 'app'
    const read = await tell(fay, { title: "Read already" });
    expect((await api(t, fay, `/api/notifications/${read}/read`, { method: "POST" })).status).toBe(200);
    t.advance(AWAY + MINUTE);
    await sendDigests(t.deps);
    expect(await digestsTo(fay)).toEqual([]);
    expect((await rowsOf(fay)).every((row) => row.emailedAt === null)).toBe(true);
    // Choosing email later mails what comes from then on, not what arrived as in-app only.
    await api(t, fay, "/api/notifications/preferences", { method: "PUT", json: { preferences: { "chat.direct": "email" } } });
    t.advance(AWAY + MINUTE);
    await sendDigests(t.deps);
    expect(await digestsTo(fay)).toEqual([]);
    // A mention (email by default) goes out alone, listing nothing of the others.
    await tell(fay, { title: "Mentioned" });
    t.advance(AWAY + MINUTE);
    await sendDigests(t.deps);
    const [mail, ...more] = await digestsTo(fay);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe("Mentioned");
    expect(mail!.textBody).not.toContain("direct message");
    expect(mail!.textBody).not.toContain("Acme");
  });

  test("a kind switched from email to app before the digest runs is not mailed", async () => {
    const kit = await person(t, "Kit");
    await tell(kit, { kind: "invitation", title: "Invited to Initech" });
    await api(t, kit, "/api/notifications/preferences", { method: "PUT", json: { preferences: { invitation: "app" } } });
    t.advance(AWAY + MINUTE);
    await sendDigests(t.deps);
    expect(await digestsTo(kit)).toEqual([]);
  });

  test("lastSeen and awayAfterMs can be given (presence plugs in here); users it does not know count as never seen", async () => {
    const gil = await person(t, "Gil");
    const hal = await person(t, "Hal");
    await tell(gil, { title: "for Gil" });
    await tell(hal, { title: "for Hal" });
    t.advance(2 * MINUTE);
    const asked: string[][] = [];
    const lastSeen = async (ids: string[]) => {
      asked.push(ids);
      return new Map([[gil.id, t.deps.now()]]);
    };
    await sendDigests(t.deps, { lastSeen, awayAfterMs: MINUTE });
    expect(asked.flat()).toContain(gil.id);
    expect(await digestsTo(gil)).toEqual([]);
    expect((await digestsTo(hal)).length).toBe(1);
  });

  test("unconfirmed addresses are not mailed, and a mailer that throws gives the notifications back for the next run", async () => {
    const ivy = await person(t, "Ivy", { verified: false });
    const jon = await person(t, "Jon");
    await tell(ivy, { title: "for Ivy" });
    await tell(jon, { title: "for Jon" });
    t.advance(AWAY + MINUTE);
    const broken: Deps = { ...t.deps, mailer: { transport: "outbox", send: () => Promise.reject(new Error("mail server down")) } };
    const outcome = await sendDigests(broken);
    expect(outcome.mailed).toBe(0);
    expect((await rowsOf(jon)).every((row) => row.emailedAt === null)).toBe(true);
    await sendDigests(t.deps);
    expect((await digestsTo(jon)).length).toBe(1);
    expect((await digestsTo(ivy)).filter((m) => m.subject === "for Ivy")).toEqual([]);
    expect((await rowsOf(ivy)).every((row) => row.emailedAt === null)).toBe(true);
  });
});

describe("digestMessage", () => {
  const config = { PUBLIC_URL: "https://blocks.example", PORT: 3000 };
  test("lists at most DIGEST_LIST_MAX and counts the rest; titles stay on one line", () => {
    const rows = Array.from({ length: DIGEST_LIST_MAX + 3 }, (_, i) => ({ title: `t${i}\nBcc: x@evil.example`, body: null, url: null }));
    const message = digestMessage(config, { email: "a@example.com", name: "Ann" }, rows);
    expect(message.to).toBe("a@example.com");
    expect(message.subject).toBe(`${DIGEST_LIST_MAX + 3} new notifications on Block on Block`);
    expect(message.text).toContain("…and 3 more.");
    expect(message.text).not.toContain("\nBcc:");
    const one = digestMessage(config, { email: "a@example.com", name: "Ann" }, [{ title: "Hi\r\nBcc: x@evil.example", body: null, url: null }]);
    expect(one.subject).toBe("Hi Bcc: x@evil.example");
    expect(one.text).toContain("https://blocks.example/notifications");
  });
});
