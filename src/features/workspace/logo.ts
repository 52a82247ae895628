// A business's logo: what a file really is (by its first bytes, never its name or declared type),
// and replacing or removing the logo — object in storage, row and audit kept in step.
import { eq } from "drizzle-orm";
import type { Deps, StoredObject } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import { newId } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { sniffImageType as sniffFileImage } from "../../lib/file-type";
import { recordAudit, type RequestMeta } from "../audit";
import { requireMembership, requireRole } from "./access";
import { businesses } from "./schema";

export const LOGO_MAX_BYTES = 2 * 1024 * 1024;
export const LOGO_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

/** The logo type the bytes really are — PNG, JPEG or WebP — or null for anything else. */
export function sniffImageType(bytes: Uint8Array): LogoType | null {
  const type = sniffFileImage(bytes);
  return type && (LOGO_TYPES as readonly string[]).includes(type) ? (type as LogoType) : null;
}

export type LogoProblem = "empty" | "too_large" | "wrong_type";

export const LOGO_MESSAGES: Record<LogoProblem, string> = {
  empty: "Choose an image file to upload.",
  too_large: "The image is larger than 2 MB. Choose a smaller file.",
  wrong_type: "That file is not a PNG, JPEG or WebP image.",
};

/** Checks an uploaded file; a problem is a 422 with the message on the `logo` field. */
export async function readLogoFile(file: unknown): Promise<{ bytes: Uint8Array; contentType: LogoType }> {
  const problem = (kind: LogoProblem) =>
    new AppError(422, `logo_${kind}`, LOGO_MESSAGES[kind], { fieldErrors: { logo: [LOGO_MESSAGES[kind]] } });
  if (!(file instanceof Blob) || file.size === 0) throw problem("empty");
  if (file.size > LOGO_MAX_BYTES) throw problem("too_large");
  const bytes = new Uint8Array(await file.arrayBuffer());
  const contentType = sniffImageType(bytes);
  if (!contentType) throw problem("wrong_type");
  return { bytes, contentType };
}

/** The logo as recorded on the business, for audit entries. */
const logoOf = (row: { logoKey: string | null; logoContentType: string | null }) =>
  row.logoKey ? { key: row.logoKey, contentType: row.logoContentType } : null;

/** The opaque version of a logo (the last part of its key), for its URL and ETag. */
export const logoVersion = (logoKey: string) => logoKey.slice(logoKey.lastIndexOf("/") + 1);

async function deleteQuietly(deps: Deps, key: string, why: string) {
  try {
    await deps.storage.delete(key);
  } catch (error) {
    deps.log({ level: "warn", msg: "logo object not deleted", why, key, error: String(error) });
  }
}

/**
 * Admins: stores a new logo. The object is written first, then the row and its audit entry in one
 * transaction; if that fails, the new object is deleted again. The old object goes after the commit.
 */
export async function replaceLogo(
  deps: Deps,
  userId: string,
  businessId: string,
  logo: { bytes: Uint8Array; contentType: LogoType },
  meta: RequestMeta,
): Promise<{ logoKey: string; contentType: LogoType }> {
  requireRole(await requireMembership(deps.db, userId, businessId), "admin", "change the business logo");
  const key = `logos/${businessId}/${newId()}`;
  await deps.storage.put(key, logo.bytes, logo.contentType);
  let previous: string | null;
  try {
    previous = await writeTransaction(deps.db, async (tx) => {
      const [before] = await tx.select().from(businesses).where(eq(businesses.id, businessId)).limit(1);
      if (!before) throw new AppError(404, "not_found", "There is no such business, or you are not a member of it.");
      const now = deps.now();
      await tx.update(businesses).set({ logoKey: key, logoContentType: logo.contentType, updatedAt: now }).where(eq(businesses.id, businessId));
      await recordAudit(tx, now, meta, {
        actorUserId: userId,
        action: "business.logo_update",
        targetType: "business",
        targetId: businessId,
        details: { before: { logo: logoOf(before) }, after: { logo: { key, contentType: logo.contentType, bytes: logo.bytes.byteLength } } },
      });
      return before.logoKey;
    });
  } catch (error) {
    await deleteQuietly(deps, key, "the database update failed");
    throw error;
  }
  if (previous) await deleteQuietly(deps, previous, "replaced");
  return { logoKey: key, contentType: logo.contentType };
}

/** Admins: removes the logo (row and audit in one transaction, then the object). False when there was none. */
export async function removeLogo(deps: Deps, userId: string, businessId: string, meta: RequestMeta): Promise<boolean> {
  requireRole(await requireMembership(deps.db, userId, businessId), "admin", "change the business logo");
  const removed = await writeTransaction(deps.db, async (tx) => {
    const [before] = await tx.select().from(businesses).where(eq(businesses.id, businessId)).limit(1);
    if (!before?.logoKey) return null;
    const now = deps.now();
    await tx.update(businesses).set({ logoKey: null, logoContentType: null, updatedAt: now }).where(eq(businesses.id, businessId));
    await recordAudit(tx, now, meta, {
      actorUserId: userId,
      action: "business.logo_remove",
      targetType: "business",
      targetId: businessId,
      details: { before: { logo: logoOf(before) }, after: { logo: null } },
    });
    return before.logoKey;
  });
  if (removed) await deleteQuietly(deps, removed, "removed");
  return removed !== null;
}

/** Members: the logo's bytes and type; 404 for anyone outside the business, or when it has none. */
export async function readLogo(
  deps: Deps,
  userId: string,
  businessId: string,
  opts: { ifNoneMatch?: string } = {},
): Promise<{ etag: string; object: StoredObject | null; contentType: string }> {
  const { business } = await requireMembership(deps.db, userId, businessId);
  const none = () => new AppError(404, "not_found", "This business has no logo.");
  if (!business.logoKey) throw none();
  const etag = `"${logoVersion(business.logoKey)}"`;
  const contentType = business.logoContentType ?? "application/octet-stream";
  // A cached copy that is still current: no need to touch storage.
  if (opts.ifNoneMatch?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) return { etag, object: null, contentType };
  const object = await deps.storage.get(business.logoKey);
  if (!object) throw none();
  return { etag, object, contentType };
}
