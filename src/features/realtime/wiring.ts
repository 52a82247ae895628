// What the rest of the app plugs into the streams (src/app.ts wires it): where channels come
// from, how rows look on the page stream, and who hears of streams opening and closing.
import type { SseMessage } from "./sse";
import type { Deps } from "../../deps";
import type { EventRow } from "./schema";

/** Names channels a user may read (their contexts, their conversations); the user's own channel is always added. */
export type ChannelSource = (deps: Deps, userId: string) => Promise<string[]>;
/** The page stream's messages for one row of a type, for this viewer (default: one empty event named by the type). */
export type PageRenderer = (deps: Deps, row: EventRow, viewerId: string) => SseMessage[] | Promise<SseMessage[]>;

export interface RealtimeWiring {
  channelSources: ChannelSource[];
  pageRenderers: Record<string, PageRenderer>;
  /**
   * Told when a user's stream opens and closes (presence counts them). What `opened` returns (the
   * connection's id, once recorded) is handed to `closed` of the same stream. Neither may throw.
   */
  presence?: { opened(deps: Deps, userId: string): Promise<string | null>; closed(deps: Deps, userId: string, opened: Promise<string | null>): void };
}

