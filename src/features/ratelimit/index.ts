export { clearBucket, countHits, LONGEST_WINDOW_MS, pruneHits, recordHit, retryAfterSeconds, takeHit, type LimitCheck } from "./service";
