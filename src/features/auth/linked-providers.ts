// The sign-in providers (GitHub, Google, Microsoft) connected to an account: list them, and unlink
// one — after the password or a recent sign-in, and never the last way in (a password, another
// provider or a passkey must remain). Unlinking is audited, mailed and ends other sessions.
import { and, count, eq } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import { AppError } from "../../lib/errors";
import type { RequestMeta } from "../audit";
import { mailSecurityNotice, recordSecurityChange } from "./account-notices";
import { providerLabel } from "./oauth-messages";
import { passkeys } from "./passkey-schema";
import { oauthAccounts, users } from "./schema";
import { confirmIdentity } from "./service";

export interface LinkedProvider {
  provider: string;
  label: string;
  email: string | null;
  linkedAt: string;
}

export async function linkedProviders(deps: Pick<Deps, "db">, userId: string): Promise<LinkedProvider[]> {
  const rows = await deps.db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, userId)).orderBy(oauthAccounts.createdAt);
  return rows.map((row) => ({ provider: row.provider, label: providerLabel(row.provider), email: row.email, linkedAt: new Date(row.createdAt).toISOString() }));
}

export async function unlinkProvider(
  deps: Deps,
  userId: string,
  session: { id: string; authenticatedAt: number },
  provider: string,
  currentPassword: string | undefined,
  meta: RequestMeta,
): Promise<void> {
  const user = await confirmIdentity(deps, userId, session, currentPassword, "/profile#providers");
  await writeTransaction(deps.db, async (tx) => {
    const linked = await tx.select().from(oauthAccounts).where(eq(oauthAccounts.userId, userId));
    const target = linked.find((row) => row.provider === provider);
    if (!target) throw new AppError(404, "not_found", "That provider is not connected to your account.");
    const [account] = await tx.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
    const [keys] = await tx.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId));
    const otherWays = (account?.passwordHash ? 1 : 0) + (linked.length - 1) + (keys?.n ?? 0);
    if (otherWays === 0) {
      throw new AppError(409, "last_sign_in_method", `${providerLabel(provider)} is your only way to sign in. Set a password or add a passkey first.`);
    }
    await tx.delete(oauthAccounts).where(and(eq(oauthAccounts.userId, userId), eq(oauthAccounts.provider, target.provider)));
    await recordSecurityChange(tx, deps.now(), meta, { userId, action: "auth.provider_unlink", details: { provider }, keepSessionId: session.id });
  });
  await mailSecurityNotice(deps, user.email, { subject: `${providerLabel(provider)} was disconnected`, what: `${providerLabel(provider)} can no longer be used to sign in to your Block on Block account.` }, meta);
}
