// Retention of auth's transient rows (src/jobs.ts runs these): sessions that ran out and one-time
// sign-in steps and tokens a day past their expiry (until then an old link still reads "expired" or
// "already used" rather than "unknown").
import { lt, or } from "drizzle-orm";
import { pruneRows } from "../../db/prune";
import type { Deps } from "../../deps";
import { webauthnChallenges } from "./passkey-schema";
import { passwordResets } from "./reset-schema";
import { sessions } from "./schema";
import { pendingSignIns } from "./two-factor-schema";
import { emailVerifications } from "./verification-schema";

/** Sessions past their maximum age or idle for longer than the idle timeout, `keepMs` after that. */
export function pruneExpiredSessions(deps: Pick<Deps, "db" | "config">, now: number, keepMs = 0): Promise<number> {
  const cutoff = now - keepMs;
  const idleSince = cutoff - deps.config.SESSION_IDLE_TIMEOUT_SECONDS * 1000;
  return pruneRows(deps.db, sessions, sessions.id, or(lt(sessions.expiresAt, cutoff), lt(sessions.lastSeenAt, idleSince)));
}

const TOKEN_KEEP_MS = 24 * 3600_000;

/** Password resets, address confirmations, passkey challenges and second-step sign-ins a day past their expiry. */
export async function pruneExpiredTokens(deps: Pick<Deps, "db">, now: number): Promise<number> {
  const before = now - TOKEN_KEEP_MS;
  const counts = [
    await pruneRows(deps.db, passwordResets, passwordResets.tokenHash, lt(passwordResets.expiresAt, before)),
    await pruneRows(deps.db, emailVerifications, emailVerifications.tokenHash, lt(emailVerifications.expiresAt, before)),
    await pruneRows(deps.db, webauthnChallenges, webauthnChallenges.id, lt(webauthnChallenges.expiresAt, before)),
    await pruneRows(deps.db, pendingSignIns, pendingSignIns.tokenHash, lt(pendingSignIns.expiresAt, before)),
  ];
  return counts.reduce((sum, count) => sum + count, 0);
}
