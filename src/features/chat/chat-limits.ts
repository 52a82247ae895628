// How much one person may write to chat: messages per minute, files and new conversations per hour.
import type { Deps } from "../../deps";
import type { Tx } from "../../db/types";
import { rateLimited, recordHit, retryAfterSeconds } from "../ratelimit";

const CHAT_LIMITS = {
  post: { suffix: "post", windowMs: 60_000, max: (deps: Deps) => deps.config.CHAT_MESSAGES_PER_MINUTE, message: "You are sending messages too fast; wait a moment." },
  upload: { suffix: "upload", windowMs: 60 * 60_000, max: () => 200, message: "You have uploaded many files this hour; wait a while." },
  create: { suffix: "create", windowMs: 60 * 60_000, max: () => 60, message: "You have started many conversations this hour; wait a while." },
} as const;

/**
 * Counts one chat write of a person against its limit, inside the write's transaction (so a burst
 * cannot pass together): messages per minute, files and new conversations per hour. 429 past it.
 */
export async function countChatWrite(tx: Tx, deps: Deps, userId: string, kind: keyof typeof CHAT_LIMITS, now = deps.now()): Promise<void> {
  if (deps.config.RATE_LIMIT !== "on") return;
  const limit = CHAT_LIMITS[kind];
  const check = { bucket: `chat-${limit.suffix}:${userId}`, max: limit.max(deps), windowMs: limit.windowMs };
  const wait = await retryAfterSeconds(tx, now, [check]);
  if (wait > 0) throw rateLimited(limit.message, wait);
  await recordHit(tx, now, [check.bucket]);
}

