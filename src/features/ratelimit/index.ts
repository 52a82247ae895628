export { clearBucket, enforceLimit, countHits, rateLimited, LONGEST_WINDOW_MS, pruneHits, recordHit, releaseHit, retryAfterSeconds, takeHit, type LimitCheck } from "./service";
