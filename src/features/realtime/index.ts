// The realtime feature's service API: publish inside a write, and the streams' wiring.
export { accessChanged, ACCESS_CHANGED, channel, logCursor, publish, pruneEvents, type LiveEvent } from "./log";
export { liveSignal, withStreamSeconds, BUN_TIMING, WORKER_TIMING, type LiveTiming } from "./signal";
export type { ChannelSource, PageRenderer, RealtimeWiring } from "./wiring";
export type { EventRow } from "./schema";
