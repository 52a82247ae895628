// Bun's file storage: one file per object under a root directory (STORAGE_DIR), with its content
// type in a `<file>.meta.json` beside it. Writes go to a temporary file first and are renamed into
// place, so a reader never sees half an object.
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, resolve, sep } from "node:path";
import type { Storage, StoredObject } from "../deps";

/** Generated ids joined by `/`: no dots (so no `..`, no hidden files, no clash with `.meta.json`), no backslashes. */
const KEY = /^[A-Za-z0-9_-]{1,128}(\/[A-Za-z0-9_-]{1,128}){0,7}$/;

export interface DiskStorage extends Storage {
  /** The absolute directory the objects live under. */
  readonly root: string;
  /** Where the object for `key` lives on disk (tests check files come and go). */
  pathOf(key: string): string;
}

export function diskStorage(directory: string): DiskStorage {
  const root = resolve(directory);

  function pathOf(key: string): string {
    if (typeof key !== "string" || !KEY.test(key)) throw new Error(`Invalid storage key: ${JSON.stringify(String(key).slice(0, 80))}`);
    const path = resolve(root, key);
    // The pattern already rules traversal out; this is the belt to its braces.
    if (!path.startsWith(root + sep)) throw new Error("Storage key escapes the storage directory");
    return path;
  }

  async function writeAtomically(path: string, data: Uint8Array | string) {
    const temporary = `${path}.${crypto.randomUUID()}.tmp`;
    try {
      await writeFile(temporary, data);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  return {
    root,
    pathOf,
    async put(key, bytes, contentType) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await writeAtomically(`${path}.meta.json`, JSON.stringify({ contentType }));
      await writeAtomically(path, bytes);
    },
    async get(key): Promise<StoredObject | null> {
      const path = pathOf(key);
      try {
        const [bytes, meta] = await Promise.all([readFile(path), readFile(`${path}.meta.json`, "utf8")]);
        const { contentType } = JSON.parse(meta) as { contentType?: unknown };
        return {
          body: new Uint8Array(bytes), // a copy over a plain ArrayBuffer (a Buffer may share a pooled one)
          contentType: typeof contentType === "string" ? contentType : "application/octet-stream",
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      await rm(`${path}.meta.json`, { force: true });
    },
  };
}
