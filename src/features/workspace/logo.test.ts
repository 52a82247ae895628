import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diskStorage } from "../../runtime/disk-storage";
import { LOGO_MAX_BYTES, readLogoFile, sniffImageType } from "./logo";

const PNG_1x1 = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (ch) => ch.charCodeAt(0),
);
const JPEG_HEAD = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const WEBP_HEAD = new TextEncoder().encode("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00");

describe("sniffImageType: the bytes decide, nothing else", () => {
  test("PNG, JPEG and WebP are recognised by their signatures", () => {
    expect(sniffImageType(PNG_1x1)).toBe("image/png");
    expect(sniffImageType(JPEG_HEAD)).toBe("image/jpeg");
    expect(sniffImageType(WEBP_HEAD)).toBe("image/webp");
  });

  test("anything else is refused: text, GIF, SVG, a RIFF that is not WebP, a truncated signature, nothing", () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(sniffImageType(text("just some words, honestly a PNG"))).toBeNull();
    expect(sniffImageType(text("GIF89a\x01\x00\x01\x00"))).toBeNull();
    expect(sniffImageType(text('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toBeNull();
    expect(sniffImageType(text("RIFF\x24\x00\x00\x00WAVEfmt "))).toBeNull();
    expect(sniffImageType(PNG_1x1.slice(0, 7))).toBeNull();
    expect(sniffImageType(new Uint8Array(0))).toBeNull();
  });
});

describe("readLogoFile", () => {
  const problem = (file: unknown) => readLogoFile(file).then(() => "accepted", (error: { status: number; code: string }) => `${error.status} ${error.code}`);

  test("ignores the declared type and name: a PNG called logo.jpg is a PNG; text called a PNG is refused", async () => {
    expect((await readLogoFile(new File([PNG_1x1], "logo.jpg", { type: "image/jpeg" }))).contentType).toBe("image/png");
    expect(await problem(new File(["hello"], "logo.png", { type: "image/png" }))).toBe("422 logo_wrong_type");
  });

  test("empty, missing and not-a-file are one problem; 2 MB is allowed and one byte more is not", async () => {
    expect(await problem(new File([], "empty.png", { type: "image/png" }))).toBe("422 logo_empty");
    expect(await problem(undefined)).toBe("422 logo_empty");
    expect(await problem("a string field")).toBe("422 logo_empty");
    const exact = new Uint8Array(LOGO_MAX_BYTES);
    exact.set(PNG_1x1);
    expect(await problem(new File([exact], "big.png"))).toBe("accepted");
    const over = new Uint8Array(LOGO_MAX_BYTES + 1);
    over.set(PNG_1x1);
    expect(await problem(new File([over], "big.png"))).toBe("422 logo_too_large");
  });
});

describe("disk storage", () => {
  const dir = mkdtempSync(join(tmpdir(), "bob-disk-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const storage = diskStorage(dir);

  test("put, get and delete round-trip the bytes and the content type", async () => {
    await storage.put("logos/b1/abc", PNG_1x1, "image/png");
    expect(readFileSync(join(dir, "logos/b1/abc"))).toEqual(Buffer.from(PNG_1x1));
    const object = await storage.get("logos/b1/abc");
    expect(object?.contentType).toBe("image/png");
    expect(object?.body).toEqual(PNG_1x1);
    await storage.delete("logos/b1/abc");
    expect(existsSync(join(dir, "logos/b1/abc"))).toBe(false);
    expect(existsSync(join(dir, "logos/b1/abc.meta.json"))).toBe(false);
    expect(await storage.get("logos/b1/abc")).toBeNull();
    await storage.delete("logos/b1/abc"); // already gone: fine
  });

  test("a key that could leave the directory, or is not a plain generated id, is refused before any file is touched", async () => {
    for (const key of ["../escape", "a/../../escape", "/etc/passwd", "a\\b", "a/./b", ".hidden", "a/", "", "a//b", "x.meta", "%2e%2e/x"]) {
      await expect(storage.put(key, PNG_1x1, "image/png")).rejects.toThrow(/storage key/i);
      await expect(storage.get(key)).rejects.toThrow(/storage key/i);
      await expect(storage.delete(key)).rejects.toThrow(/storage key/i);
    }
    expect(existsSync(join(dir, "..", "escape"))).toBe(false);
  });
});
