export { clearBucket, LONGEST_WINDOW_MS, pruneHits, recordHit, retryAfterSeconds, type LimitCheck } from "./service";
