// Calendar HTML kept per person and address, stamped with the event log's newest id. Every change that can alter
// what a grid shows appends to the log in its own transaction — an event or calendar change, a share, a
// membership or role change, a module rule, the person's zone or calendar choice — so a newer id means "render
// again", on every instance (the log is in the database). The stamp is read before rendering, so a change that
// lands meanwhile makes the next request render afresh. The key holds the day and the 5-minute row of the
// current-time line; an age limit covers anything else (a business renamed). Rendering a month of 300 events
// costs ~10 ms; a kept one costs the stamp's indexed read (docs/performance.md).
import type { Deps } from "../../deps";
import { logCursor } from "../realtime";

const MAX_ENTRIES = 256;
export const MAX_AGE_MS = 10_000;

// Kept as the bytes sent, so a kept answer is not encoded again on every request.
type Kept = { bytes: Uint8Array<ArrayBuffer>; stamp: number; at: number };
const encoder = new TextEncoder();
const kept = new Map<string, Kept>();

export async function keptView(deps: Pick<Deps, "db" | "now">, key: string, render: () => Promise<string>): Promise<Uint8Array<ArrayBuffer>> {
  const stamp = await logCursor(deps.db);
  const now = deps.now();
  const found = kept.get(key);
  if (found && found.stamp === stamp && now - found.at < MAX_AGE_MS) {
    kept.delete(key); // set again: the Map's order is least recently used first
    kept.set(key, found);
    return found.bytes;
  }
  const bytes = encoder.encode(await render());
  kept.delete(key);
  if (kept.size >= MAX_ENTRIES) kept.delete(kept.keys().next().value!);
  kept.set(key, { bytes, stamp, at: now });
  return bytes;
}
