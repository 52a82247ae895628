// Each person's merged busy time kept per UTC month, stamped like the kept grids (kept-views.ts) with the event log's
// newest id: every change that can alter someone's busy time — an event in their calendars, an invitation, an answer,
// an import or a feed's refresh, a calendar's zone — is announced in its own transaction, so a newer id means "work
// it out again", on every instance. The stamp is read before the busy time, so a change that lands meanwhile makes
// the next question work it out afresh; an age limit covers anything else. Working out a month for 20 people costs
// ~5 ms (mostly reading 600 rows); a kept month costs the stamp's indexed read (docs/performance.md).
import type { Deps } from "../../../deps";
import { logCursor } from "../../realtime";
import { MAX_AGE_MS } from "../kept-views";
import { normalize, type Interval } from "./intervals";

const MAX_ENTRIES = 4096;

type Kept = { blocks: Interval[]; stamp: number; at: number };
const kept = new Map<string, Kept>();

/** The first instant of each UTC month overlapping [from, to), and the month after the last. */
export function monthEdges(from: number, to: number): number[] {
  const start = new Date(from);
  const edges = [Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1)];
  while (edges[edges.length - 1]! < to) {
    const last = new Date(edges[edges.length - 1]!);
    edges.push(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 1));
  }
  return edges;
}

/** `busyOf` for [from, to), worked out a whole month at a time and kept until something changes. */
export async function keptBusy(
  deps: Pick<Deps, "db" | "now">,
  userIds: readonly string[],
  from: number,
  to: number,
  busyOf: (userIds: string[], from: number, to: number) => Promise<Map<string, Interval[]>>,
): Promise<Map<string, Interval[]>> {
  const stamp = await logCursor(deps.db);
  const now = deps.now();
  const edges = monthEdges(from, to);
  const pieces = new Map<string, Interval[]>(userIds.map((id) => [id, []]));
  for (let i = 0; i + 1 < edges.length; i++) {
    const [monthStart, monthEnd] = [edges[i]!, edges[i + 1]!];
    const missing: string[] = [];
    for (const id of userIds) {
      const found = kept.get(`${id}|${monthStart}`);
      if (found && found.stamp === stamp && now - found.at < MAX_AGE_MS) {
        keep(`${id}|${monthStart}`, found);
        pieces.get(id)!.push(...found.blocks);
      } else missing.push(id);
    }
    if (missing.length === 0) continue;
    const worked = await busyOf(missing, monthStart, monthEnd);
    for (const id of missing) {
      const blocks = worked.get(id) ?? [];
      keep(`${id}|${monthStart}`, { blocks, stamp, at: now });
      pieces.get(id)!.push(...blocks);
    }
  }
  // Months are cut at their edges; normalize joins a block that runs over one again.
  return new Map([...pieces].map(([id, blocks]) => [id, normalize(blocks.map((b) => ({ startMs: Math.max(b.startMs, from), endMs: Math.min(b.endMs, to) })))]));
}

function keep(key: string, entry: Kept) {
  kept.delete(key); // set again: the Map's order is least recently used first
  if (kept.size >= MAX_ENTRIES) kept.delete(kept.keys().next().value!);
  kept.set(key, entry);
}
