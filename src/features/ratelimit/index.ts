export { clearBucket, pruneHits, recordHit, retryAfterSeconds, type LimitCheck } from "./service";
