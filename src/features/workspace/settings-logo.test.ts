// The business logo through real multipart requests and the real disk storage: checks by content,
// the round trip, replacement and removal (old files deleted), audit, and a failed database write.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { businesses } from "../../schema";
import { diskStorage } from "../../runtime/disk-storage";
import { createTestApp, type Browser, type TestApp } from "../../test/app";
import { replaceLogo } from "./logo";
import { auditFor, business, person, type Person, signedIn } from "../../test/people";

let t: TestApp;
let dir: string;
let acme: string;
let owner: Person;
let as: { olga: Browser; tess: Browser; otto: Browser };
const htmx = { "hx-request": "true" };
const meta = { ipAddress: "127.0.0.1", userAgent: "test", requestId: "test" };

const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="), (ch) => ch.charCodeAt(0));
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01]);
const WEBP = new TextEncoder().encode("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bob-logos-"));
  t = await createTestApp({ STORAGE_DIR: dir });
  owner = await person(t, "Olga");
  const [tess, otto] = [await person(t, "Tess"), await person(t, "Otto")];
  acme = await business(t, owner, [[tess, "member"]]);
  as = { olga: await signedIn(t, owner), tess: await signedIn(t, tess), otto: await signedIn(t, otto) };
});
afterAll(() => {
  t.close();
  rmSync(dir, { recursive: true, force: true });
});

const rowOf = async () => (await t.deps.db.select().from(businesses).where(eq(businesses.id, acme)))[0]!;
/** The logo files on disk for Acme (not their .meta.json). */
const filesOnDisk = () => {
  const folder = join(dir, "logos", acme);
  return existsSync(folder) ? readdirSync(folder).filter((name) => !name.endsWith(".json")) : [];
};
function upload(browser: Browser, bytes: Uint8Array<ArrayBuffer> | string, name: string, type: string, headers: Record<string, string> = {}) {
  const form = new FormData();
  form.append("logo", new File([bytes], name, { type }));
  return browser.request(`/business/${acme}/settings/logo`, { method: "POST", headers, body: form });
}

describe("checked by content", () => {
  test("a text file claiming to be image/png is refused beside the field (422), and nothing is stored", async () => {
    const response = await upload(as.olga, "definitely not an image", "logo.png", "image/png", htmx);
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toStartWith('<section id="business-logo-settings"');
    expect(html).toContain('<p class="field-error" id="business-logo-file-error">That file is not a PNG, JPEG or WebP image.</p>');
    expect(html).toContain('aria-invalid="true"');
    expect((await rowOf()).logoKey).toBeNull();
    expect(filesOnDisk()).toEqual([]);
  });

  test("an empty file, no file at all, and 2 MB + 1 byte are refused with their own messages — a 422, never a 500", async () => {
    const empty = await upload(as.olga, "", "logo.png", "image/png", htmx);
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Choose an image file to upload.");
    const none = await as.olga.request(`/business/${acme}/settings/logo`, { method: "POST", headers: htmx, body: new FormData() });
    expect(none.status).toBe(422);
    const over = new Uint8Array(2 * 1024 * 1024 + 1);
    over.set(PNG);
    const large = await upload(as.olga, over, "big.png", "image/png");
    expect(large.status).toBe(422);
    const page = await large.text();
    expect(page).toStartWith("<!doctype html>"); // without htmx: the whole page, the error beside the field
    expect(page).toContain('id="business-logo-file-error">The image is larger than 2 MB.');
    expect(filesOnDisk()).toEqual([]);
  });

  test("a PNG named logo.jpg and sent as image/jpeg is accepted — as a PNG", async () => {
    const response = await upload(as.olga, PNG, "logo.jpg", "image/jpeg");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/business/${acme}/workspace/settings?saved=logo`);
    const row = await rowOf();
    expect(row.logoContentType).toBe("image/png");
    const logo = await as.tess.request(`/business/${acme}/logo`);
    expect(logo.headers.get("content-type")).toBe("image/png");
  });
});

describe("round trip, replacement, removal", () => {
  test("the stored file is the uploaded bytes; members get it back with safe headers, an ETag and private caching", async () => {
    const key = (await rowOf()).logoKey!;
    expect(key).toMatch(new RegExp(`^logos/${acme}/[a-z0-9]+$`));
    expect(new Uint8Array(readFileSync(join(dir, key)))).toEqual(PNG);

    const response = await as.tess.request(`/business/${acme}/logo`);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-disposition")).toBe("inline");
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    const etag = response.headers.get("etag")!;
    expect(etag).toBe(`"${key.split("/").pop()}"`);

    const again = await as.tess.request(`/business/${acme}/logo`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const versioned = await as.tess.request(`/business/${acme}/logo?v=${key.split("/").pop()}`);
    expect(versioned.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
  });

  test("the settings tab shows the logo at a fixed size, with alt text, at its versioned address", async () => {
    const key = (await rowOf()).logoKey!;
    const html = await (await as.olga.request(`/business/${acme}/workspace/settings?saved=logo`)).text();
    expect(html).toContain(`<img class="business-logo large" src="/business/${acme}/logo?v=${key.split("/").pop()}" alt="Acme Ltd logo" width="96" height="96"`);
    expect(html).toContain("The new logo is saved.");
    expect(html).toContain("Remove logo");
  });

  test("replacing the logo (htmx) stores the new file, deletes the old one, and audits before and after", async () => {
    const oldKey = (await rowOf()).logoKey!;
    const response = await upload(as.olga, JPEG, "photo.jpeg", "image/jpeg", htmx);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toStartWith('<section id="business-logo-settings"');
    expect(html).toContain("The new logo is saved.");
    const row = await rowOf();
    expect(row).toMatchObject({ logoContentType: "image/jpeg" });
    expect(html).toContain(`logo?v=${row.logoKey!.split("/").pop()}`);
    expect(existsSync(join(dir, oldKey))).toBe(false);
    expect(existsSync(join(dir, `${oldKey}.meta.json`))).toBe(false);
    expect(filesOnDisk()).toEqual([row.logoKey!.split("/").pop()!]);

    const audits = await auditFor(t, acme, "business.logo_update");
    expect(audits.length).toBe(2);
    const last = audits.find((a) => (a.details as { before: { logo: unknown } }).before.logo !== null)!;
    expect(last.actorUserId).toBe(owner.id);
    expect(last.details).toEqual({
      before: { logo: { key: oldKey, contentType: "image/png" } },
      after: { logo: { key: row.logoKey, contentType: "image/jpeg", bytes: JPEG.length } },
    });
    const served = await as.tess.request(`/business/${acme}/logo`);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(JPEG);
  });

  test("WebP is accepted too", async () => {
    expect((await upload(as.olga, WEBP, "logo.webp", "application/octet-stream")).status).toBe(303);
    expect((await rowOf()).logoContentType).toBe("image/webp");
    expect(filesOnDisk().length).toBe(1);
  });

  test("removing the logo clears the row, deletes the file, audits it, and the logo answers 404", async () => {
    const key = (await rowOf()).logoKey!;
    const response = await as.olga.request(`/business/${acme}/settings/logo/delete`, { method: "POST" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/business/${acme}/workspace/settings?saved=logo-removed`);
    expect(await rowOf()).toMatchObject({ logoKey: null, logoContentType: null });
    expect(existsSync(join(dir, key))).toBe(false);
    expect(filesOnDisk()).toEqual([]);
    const [audit] = await auditFor(t, acme, "business.logo_remove");
    expect(audit!.details).toEqual({ before: { logo: { key, contentType: "image/webp" } }, after: { logo: null } });
    expect((await as.tess.request(`/business/${acme}/logo`)).status).toBe(404);
    expect(await (await as.olga.request(`/business/${acme}/workspace/settings`)).text()).not.toContain("Remove logo");
    // Again, via htmx: nothing to remove is not an error, and no second audit entry.
    const again = await as.olga.request(`/business/${acme}/settings/logo/delete`, { method: "POST", headers: htmx });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("No logo yet.");
    expect((await auditFor(t, acme, "business.logo_remove")).length).toBe(1);
  });
});

describe("storage and database stay in step", () => {
  test("when the database write fails, the new object is deleted again and the old logo stays", async () => {
    expect((await upload(as.olga, PNG, "logo.png", "image/png")).status).toBe(303);
    const before = await rowOf();
    const failing = { ...t.deps, now: () => { throw new Error("database says no"); } };
    await expect(replaceLogo(failing, owner.id, acme, { bytes: JPEG, contentType: "image/jpeg" }, meta)).rejects.toThrow("database says no");
    expect(await rowOf()).toEqual(before);
    expect(filesOnDisk()).toEqual([before.logoKey!.split("/").pop()!]);
    expect(new Uint8Array(readFileSync(join(dir, before.logoKey!)))).toEqual(PNG);
  });

  test("the object is written before the row: if storage fails, the row is untouched", async () => {
    const before = await rowOf();
    const broken = { ...t.deps, storage: { ...diskStorage(dir), put: async () => { throw new Error("disk full"); } } };
    await expect(replaceLogo(broken, owner.id, acme, { bytes: JPEG, contentType: "image/jpeg" }, meta)).rejects.toThrow("disk full");
    expect(await rowOf()).toEqual(before);
  });

  test("a member outside the business reads nothing, even knowing the key", async () => {
    expect((await as.otto.request(`/business/${acme}/logo?v=${(await rowOf()).logoKey!.split("/").pop()}`)).status).toBe(404);
  });
});
