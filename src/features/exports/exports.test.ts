// "Download your data" over the real app and a real database and storage: the API, the archive's
// contents (every registered feature, the person's files, the README), owner-only downloads, expiry,
// the notification and mail, admins' requests, a taken-over build that skips finished parts, and a
// build that keeps failing. Two real processes and a SIGKILL: processes.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { strFromU8, unzipSync } from "fflate";
import { writeTransaction } from "../../db/transaction";
import { PERSONAL_DATA } from "../../personal-data";
import { auditEvents, dataExports, notifications, outbox, users } from "../../schema";
import { createTestApp, loginToken, type TestApp } from "../../test/app";
import { api, business, person, signedIn, type Person } from "../../test/people";
import type { PersonalDataSource } from "../privacy";
import { archiveKey, claimExport, MAX_ATTEMPTS, pruneExports, runExports } from "./job";
import { exportsPersonalData } from "./personal-data";

let t: TestApp;
let ada: Person;
let bob: Person;
let adaExport: string;
let zip: Record<string, Uint8Array>;

async function json(response: Response | Promise<Response>, status: number) {
  const r = await response;
  const body = await r.text();
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${body}`);
  return body ? JSON.parse(body) : null;
}

/** Runs the job until the export is no longer queued or building (a request also kicks it). */
async function settle(id: string) {
  for (let i = 0; i < 50; i++) {
    await runExports(t.deps, PERSONAL_DATA);
    const [row] = await t.deps.db.select().from(dataExports).where(eq(dataExports.id, id));
    if (row && row.status !== "queued" && row.status !== "building") return row;
    await Bun.sleep(20);
  }
  throw new Error(`export ${id} did not settle`);
}

beforeAll(async () => {
  t = await createTestApp();
  ada = await person(t, "Ada Archive");
  bob = await person(t, "Bob Bystander");
  await business(t, ada, [[bob, "member"]], "Archive Ltd");
  const conversation = (await json(api(t, ada, "/api/conversations", { method: "POST", json: { type: "direct", userIds: [bob.id] } }), 201)).conversation.id;
  const form = new FormData();
  form.set("file", new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])], "../../holiday.png"));
  const upload = await t.app.request(`/api/conversations/${conversation}/attachments`, { method: "POST", headers: { authorization: `Bearer ${ada.token}` }, body: form });
  expect(upload.status).toBe(201);
  const attachment = (await upload.json()).attachment.id;
  await json(api(t, ada, `/api/conversations/${conversation}/messages`, { method: "POST", json: { text: "ada's archived words", attachmentIds: [attachment] } }), 201);
  await json(api(t, bob, `/api/conversations/${conversation}/messages`, { method: "POST", json: { text: "bob's private words" } }), 201);
});
afterAll(() => t.close());

describe("asking for an export", () => {
  test("POST /api/me/exports answers 202 with the export; asking again while it is on its way answers the same one", async () => {
    const first = await json(api(t, ada, "/api/me/exports", { method: "POST" }), 202);
    expect(first.created).toBe(true);
    expect(first.export).toMatchObject({ requestedBy: "you", downloadUrl: null });
    expect(["queued", "building", "ready"]).toContain(first.export.status);
    adaExport = first.export.id;
    const [row] = await t.deps.db.select().from(dataExports).where(eq(dataExports.id, adaExport));
    if (row!.status !== "ready") {
      const again = await json(api(t, ada, "/api/me/exports", { method: "POST" }), 202);
      expect(again).toMatchObject({ created: false, export: { id: adaExport } });
    }
  });

  test("when built: ready with a download link, a notification and one mail to the owner", async () => {
    const row = await settle(adaExport);
    expect(row).toMatchObject({ status: "ready", attempts: 1, claimToken: null });
    expect(row.done).toBe(row.total);
    const status = await json(api(t, ada, `/api/me/exports/${adaExport}`), 200);
    expect(status.export).toMatchObject({ status: "ready", downloadUrl: `/me/exports/${adaExport}/download`, progress: { done: row.total, total: PERSONAL_DATA.length + 2 } });
    expect((await json(api(t, ada, "/api/me/exports"), 200)).exports.map((e: { id: string }) => e.id)).toEqual([adaExport]);
    const told = await t.deps.db.select().from(notifications).where(and(eq(notifications.userId, ada.id), eq(notifications.kind, "privacy.export")));
    expect(told).toHaveLength(1);
    // The mail goes just after the commit that made the export ready (the kicked build may still be sending it).
    const readyMails = () => t.deps.db.select().from(outbox).where(and(eq(outbox.toAddress, ada.email), eq(outbox.subject, "Your data export is ready")));
    for (let i = 0; i < 200 && (await readyMails()).length === 0; i++) await Bun.sleep(10);
    const mails = await readyMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.textBody).not.toContain("/download"); // the mail leads to the profile; the file needs the session
  });

  test("the download is a ZIP: a README, one JSON file per registered feature, and the person's files under a safe name", async () => {
    const response = await api(t, ada, `/me/exports/${adaExport}/download`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="block-on-block-data-\d{4}-\d{2}-\d{2}\.zip"$/);
    expect(response.headers.get("cache-control")).toContain("no-store");
    zip = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const names = Object.keys(zip);
    expect(names).toContain("README.txt");
    for (const source of PERSONAL_DATA) expect(names).toContain(`data/${source.feature}.json`);
    const files = names.filter((name) => name.startsWith("files/"));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^files\/chat\/[^/]+\/[^/]+-holiday\.png$/);
    expect(names.every((name) => !name.split("/").includes(".."))).toBe(true);
    expect([...zip[files[0]!]!]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    expect(strFromU8(zip["README.txt"]!)).toContain("data/chat.json");
  });

  test("each feature's file is what that feature exports, and nothing of anyone else's is in the archive", async () => {
    for (const source of PERSONAL_DATA) {
      const inZip = JSON.parse(strFromU8(zip[`data/${source.feature}.json`]!));
      const now = JSON.parse(JSON.stringify(await source.exportFor(t.deps.db, ada.id)));
      // What changed since the build (sessions touched, the export now ready, the notification read state) aside, the keys are the feature's own.
      expect(Object.keys(inZip).sort()).toEqual(Object.keys(now).sort());
    }
    const chat = JSON.parse(strFromU8(zip["data/chat.json"]!));
    expect(chat.messages.map((m: { text: string }) => m.text)).toEqual(["ada's archived words"]);
    const everything = Object.values(zip).map((bytes) => strFromU8(bytes, true)).join("\n");
    expect(everything).toContain(ada.email);
    // Bob's message is his; only the notification Ada was sent of it is hers.
    const holding = Object.entries(zip).filter(([, bytes]) => strFromU8(bytes, true).includes("bob's private words")).map(([name]) => name);
    expect(holding).toEqual(["data/notifications.json"]);
    expect(everything).not.toContain(bob.email);
    expect(everything).not.toMatch(/\$argon2|password_?hash/i);
  });

  test("nobody else gets at it: another person's id answers 404 on the API and the download; signed out, the download asks to sign in", async () => {
    expect((await api(t, bob, `/api/me/exports/${adaExport}`)).status).toBe(404);
    expect((await api(t, bob, `/me/exports/${adaExport}/download`)).status).toBe(404);
    expect((await t.app.request(`/me/exports/${adaExport}/download`)).status).not.toBe(200);
    expect((await t.app.request(`/api/me/exports/${adaExport}`)).status).toBe(401);
    expect((await api(t, ada, "/api/me/exports/%20")).status).toBe(400);
    expect((await api(t, ada, "/me/exports/nope/download")).status).toBe(404);
  });

  test("after EXPORT_TTL_DAYS the link answers 404, and the job deletes the file and marks it expired", async () => {
    t.advance((t.deps.config.EXPORT_TTL_DAYS * 24 + 1) * 3600_000);
    // A week without a request ends sessions too: sign in again.
    for (const who of [ada, bob]) who.token = await loginToken(t.app, who.email);
    expect((await api(t, ada, `/me/exports/${adaExport}/download`)).status).toBe(404);
    expect((await json(api(t, ada, `/api/me/exports/${adaExport}`), 200)).export.downloadUrl).toBeNull();
    expect(await t.deps.storage.get(archiveKey(adaExport))).not.toBeNull();
    expect(await pruneExports(t.deps, t.deps.now())).toBe(1);
    expect(await t.deps.storage.get(archiveKey(adaExport))).toBeNull();
    expect((await json(api(t, ada, `/api/me/exports/${adaExport}`), 200)).export.status).toBe("expired");
  });
});

describe("the profile section", () => {
  test("the form asks for one (plain post: back to the profile; htmx: the section), and the page shows its state", async () => {
    const browser = await signedIn(t, bob);
    const plain = await browser.request("/profile/exports", { method: "POST", form: {} });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe("/profile#your-data");
    const [row] = await t.deps.db.select().from(dataExports).where(eq(dataExports.userId, bob.id));
    await settle(row!.id);
    const profile = await (await browser.request("/profile")).text();
    expect(profile).toContain('id="your-data"');
    expect(profile).toContain(`/me/exports/${row!.id}/download`);
    const fragment = await browser.request("/profile/exports", { headers: { "hx-request": "true" } });
    expect(fragment.status).toBe(200);
    const html = await fragment.text();
    expect(html).toContain('hx-trigger="sse:exports, sse:resync"');
    expect(html).not.toContain("<html");
  });
});

describe("admins", () => {
  test("a platform admin starts a person's export with a reason (audited); it goes to the person, not to the admin", async () => {
    const admin = await person(t, "Root Admin");
    await t.deps.db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, admin.id));
    const browser = await signedIn(t, admin);
    const noReason = await browser.request("/admin-portal/exports", { method: "POST", form: { user: bob.email, reason: "" } });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain("Say why");
    const nobody = await browser.request("/admin-portal/exports", { method: "POST", form: { user: "nobody@example.com", reason: "GDPR request #7" } });
    expect(nobody.status).toBe(404);
    const started = await browser.request("/admin-portal/exports", { method: "POST", form: { user: bob.email, reason: "GDPR request #7" } });
    expect(started.status).toBe(303);
    const rows = await t.deps.db.select().from(dataExports).where(eq(dataExports.requestedBy, admin.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: bob.id, reason: "GDPR request #7" });
    const audit = await t.deps.db.select().from(auditEvents).where(eq(auditEvents.action, "privacy.export.admin_request"));
    expect(audit).toEqual([expect.objectContaining({ actorUserId: admin.id, targetId: bob.id, details: { exportId: rows[0]!.id, reason: "GDPR request #7" } })]);
    await settle(rows[0]!.id);
    expect((await api(t, admin, `/me/exports/${rows[0]!.id}/download`)).status).toBe(404);
    expect((await json(api(t, bob, `/api/me/exports/${rows[0]!.id}`), 200)).export).toMatchObject({ status: "ready", requestedBy: "admin" });
    expect(await (await browser.request("/admin-portal/exports")).text()).toContain("GDPR request #7");
  });

  test("the admin page and its form are for platform admins only", async () => {
    const browser = await signedIn(t, bob);
    expect((await browser.request("/admin-portal/exports")).status).toBe(403);
    expect((await browser.request("/admin-portal/exports", { method: "POST", form: { user: ada.email, reason: "let me in please" } })).status).toBe(403);
    expect(await t.deps.db.select().from(dataExports).where(eq(dataExports.reason, "let me in please"))).toEqual([]);
  });
});

describe("the job", () => {
  test("a build whose builder died is taken over once its lease ran out, and skips the parts already stored", async () => {
    const carol = await person(t, "Carol Crash");
    const id = "crashed-export";
    await writeTransaction(t.deps.db, (tx) =>
      tx.insert(dataExports).values({ id, userId: carol.id, status: "building", done: 1, total: PERSONAL_DATA.length + 2, partsDone: ["auth"], claimToken: "dead-builder", claimedUntil: t.deps.now() - 1, attempts: 1, createdAt: t.deps.now() }),
    );
    await t.deps.storage.put(`exports/${id}/parts/auth`, new TextEncoder().encode('{"planted":true}'), "application/json");
    // Not yet: a live lease is never taken.
    await writeTransaction(t.deps.db, (tx) => tx.update(dataExports).set({ claimedUntil: t.deps.now() + 60_000 }).where(eq(dataExports.id, id)));
    expect(await claimExport(t.deps, 1).then((claim) => claim?.row.id ?? null)).not.toBe(id);
    await writeTransaction(t.deps.db, (tx) => tx.update(dataExports).set({ claimedUntil: t.deps.now() - 1 }).where(eq(dataExports.id, id)));
    const row = await settle(id);
    expect(row).toMatchObject({ status: "ready", attempts: 2 });
    const archive = unzipSync(new Uint8Array(await (await api(t, carol, `/me/exports/${id}/download`)).arrayBuffer()));
    expect(JSON.parse(strFromU8(archive["data/auth.json"]!))).toEqual({ planted: true });
    expect(JSON.parse(strFromU8(archive["data/chat.json"]!))).toHaveProperty("messages");
    expect(await t.deps.storage.get(`exports/${id}/parts/auth`)).toBeNull(); // parts go once the archive is made
  });

  test("a build that keeps failing is retried, then marked failed with a message, and the person may ask again", async () => {
    const dan = await person(t, "Dan Doomed");
    const broken: PersonalDataSource = { feature: "broken", tables: [], exportFor: async () => { throw new Error("disk on fire"); }, erase: async () => 0 };
    const id = "doomed-export";
    await writeTransaction(t.deps.db, (tx) => tx.insert(dataExports).values({ id, userId: dan.id, status: "queued", createdAt: t.deps.now() }));
    // One run spends one attempt: the retry waits for a later run rather than burning them all at once.
    await runExports(t.deps, [broken]);
    const [first] = await t.deps.db.select().from(dataExports).where(eq(dataExports.id, id));
    expect(first).toMatchObject({ status: "queued", attempts: 1 });
    for (let i = 1; i <= MAX_ATTEMPTS; i++) await runExports(t.deps, [broken]);
    const [row] = await t.deps.db.select().from(dataExports).where(eq(dataExports.id, id));
    expect(row).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(row!.error).toContain("could not be built");
    expect(row!.error).not.toContain("disk on fire");
    const again = await json(api(t, dan, "/api/me/exports", { method: "POST" }), 202);
    expect(again.created).toBe(true);
  });

  test("erasing the person deletes their exports and the archives in storage; an admin's id on someone else's request goes too", async () => {
    const fay = await person(t, "Fay Forgotten");
    const asked = await json(api(t, fay, "/api/me/exports", { method: "POST" }), 202);
    await settle(asked.export.id);
    expect(await t.deps.storage.get(archiveKey(asked.export.id))).not.toBeNull();
    await writeTransaction(t.deps.db, (tx) => tx.update(dataExports).set({ requestedBy: fay.id }).where(eq(dataExports.id, adaExport)));
    const run = (tx: Parameters<Parameters<typeof writeTransaction>[1]>[0]) => exportsPersonalData.erase({ tx, deps: t.deps, userId: fay.id, person: { email: fay.email, name: fay.name, blockIds: [] }, tombstone: "gone", now: t.deps.now() });
    expect(await writeTransaction(t.deps.db, run)).toBe(2);
    expect(await writeTransaction(t.deps.db, run)).toBe(0);
    expect(await t.deps.db.select().from(dataExports).where(eq(dataExports.userId, fay.id))).toEqual([]);
    expect((await t.deps.db.select().from(dataExports).where(eq(dataExports.id, adaExport)))[0]!.requestedBy).toBeNull();
    for (let i = 0; i < 50 && (await t.deps.storage.get(archiveKey(asked.export.id))); i++) await Bun.sleep(10);
    expect(await t.deps.storage.get(archiveKey(asked.export.id))).toBeNull();
  });

  test("asking is limited to 5 a day per person (429 with Retry-After), whatever the bursts", async () => {
    const limited = await createTestApp({ RATE_LIMIT: "on" });
    try {
      const eve = await person(limited, "Eve Eager");
      for (let i = 0; i < 5; i++) {
        const asked = await json(api(limited, eve, "/api/me/exports", { method: "POST" }), 202);
        // Finish it, so the next request is a new one rather than the same one answered again.
        await writeTransaction(limited.deps.db, (tx) => tx.update(dataExports).set({ status: "failed" }).where(eq(dataExports.id, asked.export.id)));
      }
      const answers = await Promise.all([1, 2, 3].map(() => api(limited, eve, "/api/me/exports", { method: "POST" })));
      for (const answer of answers) {
        expect(answer.status).toBe(429);
        expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      expect(await limited.deps.db.select().from(dataExports).where(eq(dataExports.userId, eve.id))).toHaveLength(5);
    } finally {
      limited.close();
    }
  });
});
