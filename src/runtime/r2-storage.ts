// Workers' file storage: an R2 bucket binding ([[r2_buckets]] in wrangler.toml; `wrangler dev`
// simulates it locally). Typed minimally over the DOM types the rest of the app uses, like ASSETS.
import type { Storage, StoredObject } from "../deps";
import { AppError } from "../lib/errors";

/** The parts of an R2Bucket this app uses. */
export interface R2BucketBinding {
  put(key: string, value: Uint8Array | ArrayBuffer, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
  get(key: string): Promise<{ body: ReadableStream<Uint8Array>; httpMetadata?: { contentType?: string } } | null>;
  delete(key: string): Promise<void>;
}

/** Storage over the bucket; without a binding, every use answers 503 rather than breaking the whole app. */
export function r2Storage(bucket: R2BucketBinding | undefined): Storage {
  const need = (): R2BucketBinding => {
    if (!bucket) throw new AppError(503, "storage_unavailable", "File storage is not configured (no UPLOADS bucket binding).");
    return bucket;
  };
  return {
    async put(key, bytes, contentType) {
      await need().put(key, bytes, { httpMetadata: { contentType } });
    },
    async get(key): Promise<StoredObject | null> {
      const object = await need().get(key);
      if (!object) return null;
      return { body: object.body, contentType: object.httpMetadata?.contentType ?? "application/octet-stream" };
    },
    async delete(key) {
      await need().delete(key);
    },
  };
}
