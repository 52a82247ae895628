// "Fetch one row more than the page shows to know there is a next page", written once; and the
// opaque cursor (the last row's sort key as base64url JSON) that keyset-paged lists hand out.
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";

/** One page of rows, and whether more follow it. */
export interface Page<T> {
  rows: T[];
  hasMore: boolean;
}

/** The LIMIT to ask the database for: one row more than the page shows. */
export function fetchLimit(limit: number): number {
  return limit + 1;
}

/** The OFFSET of page `page` (1 is the first) of `perPage` rows. */
export function pageOffset(page: number, perPage: number): number {
  return (page - 1) * perPage;
}

/** Rows fetched with `fetchLimit(limit)`: the first `limit` of them, and whether there was one more. */
export function pageOf<T>(rows: readonly T[], limit: number): Page<T> {
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** A row's sort key: what a cursor holds (a time or a name, then an id as the tie-breaker). */
export type CursorKey = readonly (string | number)[];

/**
 * A sort key as an opaque cursor: base64url JSON. It stays valid when rows are added before it.
 * (The same encoding the Block ID admin and the member search already hand out, so their links keep working.)
 */
export function encodeCursor(key: CursorKey): string {
  return encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(key)));
}

type Kind = "string" | "integer";
type KeyOf<K extends readonly Kind[]> = { -readonly [I in keyof K]: K[I] extends "integer" ? number : string };

/**
 * A cursor back to its sort key, each part of the kind given (an integer is a safe integer), or
 * null for anything else: not base64url, not UTF-8, not JSON, the wrong length or kinds.
 */
export function decodeCursor<const K extends readonly Kind[]>(text: string, kinds: K): KeyOf<K> | null {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(decodeBase64urlIgnorePadding(text)));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== kinds.length) return null;
  const fits = kinds.every((kind, i) => (kind === "integer" ? Number.isSafeInteger(value[i]) : typeof value[i] === "string"));
  return fits ? (value as KeyOf<K>) : null;
}

/** The cursor after a page — its last row's key — when more rows follow; else null. */
export function nextCursor<T>(page: Page<T>, key: (last: T) => CursorKey): string | null {
  const last = page.rows[page.rows.length - 1];
  return page.hasMore && last !== undefined ? encodeCursor(key(last)) : null;
}
