// The auth feature's personal data (see features/privacy/registry.ts): the account, its sessions,
// sign-in methods and their transient tokens. Secrets (hashes, seeds, keys) are never exported.
import { eq } from "drizzle-orm";
import type { PersonalDataSource } from "../privacy";
import { passkeys, webauthnChallenges } from "./passkey-schema";
import { passwordResets } from "./reset-schema";
import { oauthAccounts, sessions, users } from "./schema";
import { pendingSignIns, recoveryCodes, totpCredentials } from "./two-factor-schema";
import { emailVerifications } from "./verification-schema";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const authPersonalData: PersonalDataSource = {
  feature: "auth",
  tables: [
    { table: users, columns: ["id", "email", "name", "block_id"], erasure: "delete", note: "the account row itself, last" },
    { table: sessions, columns: ["user_id", "ip_address", "user_agent"], erasure: "cascade" },
    { table: oauthAccounts, columns: ["user_id", "email", "provider_user_id"], erasure: "cascade" },
    { table: passkeys, columns: ["user_id"], erasure: "cascade" },
    { table: webauthnChallenges, columns: ["user_id"], erasure: "cascade", note: "minutes-long challenges: not exported" },
    { table: passwordResets, columns: ["user_id"], erasure: "cascade", note: "one-time tokens: not exported" },
    { table: emailVerifications, columns: ["user_id", "email"], erasure: "cascade", note: "one-time tokens: the address only is exported" },
    { table: totpCredentials, columns: ["user_id"], erasure: "cascade", note: "whether it is on, never the seed" },
    { table: recoveryCodes, columns: ["user_id"], erasure: "cascade", note: "how many are left, never the codes" },
    { table: pendingSignIns, columns: ["user_id"], erasure: "cascade", note: "minutes-long sign-in steps: not exported" },
  ],
  async exportFor(db, userId) {
    const [account] = await db.select().from(users).where(eq(users.id, userId));
    const [sessionRows, providers, keys, totp, codes, verifications] = await Promise.all([
      db.select().from(sessions).where(eq(sessions.userId, userId)),
      db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, userId)),
      db.select().from(passkeys).where(eq(passkeys.userId, userId)),
      db.select().from(totpCredentials).where(eq(totpCredentials.userId, userId)),
      db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, userId)),
      db.select().from(emailVerifications).where(eq(emailVerifications.userId, userId)),
    ]);
    return {
      account: account
        ? {
            id: account.id,
            email: account.email,
            name: account.name,
            emailVerified: account.emailVerified,
            isPlatformAdmin: account.isPlatformAdmin,
            blockId: account.blockId,
            disabledAt: iso(account.disabledAt),
            disabledReason: account.disabledReason,
            createdAt: iso(account.createdAt),
          }
        : null,
      sessions: sessionRows.map((row) => ({ id: row.publicId, createdAt: iso(row.createdAt), lastSeenAt: iso(row.lastSeenAt), expiresAt: iso(row.expiresAt), userAgent: row.userAgent, ipAddress: row.ipAddress, signInMethod: row.signInMethod, secondFactor: row.secondFactor })),
      signInProviders: providers.map((row) => ({ provider: row.provider, email: row.email, connectedAt: iso(row.createdAt) })),
      passkeys: keys.map((row) => ({ name: row.name, createdAt: iso(row.createdAt), lastUsedAt: iso(row.lastUsedAt) })),
      twoFactor: { authenticatorApp: totp.some((row) => row.confirmedAt !== null), recoveryCodesLeft: codes.filter((row) => row.usedAt === null).length },
      addressConfirmations: verifications.map((row) => ({ email: row.email, purpose: row.purpose, createdAt: iso(row.createdAt), usedAt: iso(row.usedAt) })),
    };
  },
  // Last of all (the erasure job orders it so): the account row; every table above goes with it.
  async erase({ tx, userId }) {
    const removed = await tx.delete(users).where(eq(users.id, userId));
    return removed.rowsAffected;
  },
};
