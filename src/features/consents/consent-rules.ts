// The consent rules without a database: the state from the newest record of each purpose, what a
// change writes, and what a person still has to accept. Tested in consent-rules.test.ts.
import type { Config } from "../../config";
import { AppError } from "../../lib/errors";
import { currentVersion, isRequired, PURPOSES, REQUIRED_PURPOSES, type Purpose } from "./purposes";
import type { ConsentHow } from "./schema";

export type Versions = Pick<Config, "TERMS_VERSION" | "PRIVACY_VERSION">;

/** The newest record of one purpose, as the service reads it. */
export interface LatestRecord {
  purpose: string;
  version: string;
  granted: boolean;
  at: number;
  how: ConsentHow;
}

export interface PurposeState {
  purpose: Purpose;
  required: boolean;
  /** Whether the newest answer was yes (at any version); false when never asked. */
  granted: boolean;
  /** The version that answer was given to, or null when never asked. */
  version: string | null;
  at: number | null;
  how: ConsentHow | null;
  currentVersion: string;
  /** What features ask (`hasConsent`): granted, and — for a required purpose — at the current version. */
  effective: boolean;
}

/** Whether this newest record counts now: a yes, and for a required purpose one to the version in force. */
export function counts(config: Versions, purpose: Purpose, latest: Pick<LatestRecord, "granted" | "version"> | undefined): boolean {
  if (!latest?.granted) return false;
  return !isRequired(purpose) || latest.version === currentVersion(config, purpose);
}

/** Every purpose's state from the newest record of each (records of unknown purposes are ignored). */
export function consentState(config: Versions, latest: readonly LatestRecord[]): PurposeState[] {
  const byPurpose = new Map(latest.map((record) => [record.purpose, record]));
  return PURPOSES.map((purpose) => {
    const record = byPurpose.get(purpose);
    return {
      purpose,
      required: isRequired(purpose),
      granted: record?.granted ?? false,
      version: record?.version ?? null,
      at: record?.at ?? null,
      how: record?.how ?? null,
      currentVersion: currentVersion(config, purpose),
      effective: counts(config, purpose, record),
    };
  });
}

/** The required purposes not accepted at their current version: what the accept page asks. */
export function pendingRequired(state: readonly PurposeState[]): Purpose[] {
  return state.filter((s) => s.required && !s.effective).map((s) => s.purpose);
}

export interface PlannedRecord {
  purpose: Purpose;
  version: string;
  granted: boolean;
}

export function requiredWithdrawal(purposes: readonly Purpose[]): AppError {
  const fieldErrors = Object.fromEntries(
    purposes.map((p) => [p, ["The terms of service and the privacy notice cannot be withdrawn while you keep an account. To stop, delete your account (profile → Delete my account)."]]),
  );
  return new AppError(400, "required_consent", "The terms of service and the privacy notice are required for an account; to withdraw them, delete your account instead.", {
    fieldErrors,
    deleteAccountAt: "/profile#delete-account",
  });
}

/**
 * The records a change writes: one per purpose whose answer differs from the current state (a yes
 * to a required purpose at an old version counts as different: it is the acceptance of the new
 * one). Withdrawing a required purpose is refused: that is deleting the account.
 */
export function planChange(config: Versions, state: readonly PurposeState[], wanted: Partial<Record<Purpose, boolean>>): PlannedRecord[] {
  const refused = REQUIRED_PURPOSES.filter((p) => wanted[p] === false);
  if (refused.length) throw requiredWithdrawal(refused);
  const planned: PlannedRecord[] = [];
  for (const current of state) {
    const want = wanted[current.purpose];
    if (want === undefined) continue;
    const version = currentVersion(config, current.purpose);
    // A "no" to what was never granted writes nothing: the history holds answers, not page views.
    const same = current.granted === want && (!want || !current.required || current.version === version);
    if (!same) planned.push({ purpose: current.purpose, version, granted: want });
  }
  return planned;
}

/** What sign-up writes: acceptance of the required purposes at their current versions (optional ones start off: no record). */
export function signUpRecords(config: Versions): PlannedRecord[] {
  return REQUIRED_PURPOSES.map((purpose) => ({ purpose, version: currentVersion(config, purpose), granted: true }));
}
