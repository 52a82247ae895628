// What a new password must not be (ASVS 5.0 V6.2.4, V6.2.11, V6.2.12): one of the passwords people
// pick most (zxcvbn's list of the ~18,000 most common ones with 8 or more characters), built from
// words of this product or of the account itself, or — when PWNED_PASSWORDS_URL names a Pwned
// Passwords range API — one seen in a breach. Any composition is allowed; nothing is truncated.
import { dictionary } from "@zxcvbn-ts/language-common";
import type { Deps } from "../../deps";
import { sha1 } from "@oslojs/crypto/sha1";
import { encodeHexUpperCase } from "@oslojs/encoding";
import { validationError } from "../../lib/errors";
import { withTimeout } from "../../lib/timeout";

/** Words of this product: a password built on them is the first an attacker of this site tries. */
export const PRODUCT_WORDS = ["blockonblock", "blockid", "bonb"];

const BREACH_CHECK_TIMEOUT_MS = 1500;

let common: Set<string> | null = null;

/** Whether the password (in any letter case) is one of the most common ones. */
export function isCommonPassword(password: string): boolean {
  common ??= new Set((dictionary["passwords-common"] as string[]).filter((word) => word.length >= 8));
  return common.has(password.toLowerCase());
}

const squash = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

/**
 * The words of this product and of the account (the email's local part and domain name, each part
 * of the name) that the password contains; words shorter than four letters do not count.
 */
export function contextWordsIn(password: string, account: { email: string; name?: string }): string[] {
  const [local = "", domain = ""] = account.email.split("@");
  const words = [...PRODUCT_WORDS, local, domain.split(".")[0] ?? "", ...(account.name ?? "").split(/\s+/)]
    .map(squash)
    .filter((word) => word.length >= 4);
  const squashed = squash(password);
  return [...new Set(words.filter((word) => squashed.includes(word)))];
}

/**
 * How often the password was seen in breaches, from a Pwned Passwords range API (k-anonymity: only
 * the first five hex digits of its SHA-1 leave the server); null when no API is configured or it
 * does not answer in time — a sign-up is not refused because a third party is down.
 */
export async function breachCount(deps: Pick<Deps, "config" | "fetch" | "log">, password: string): Promise<number | null> {
  const base = deps.config.PWNED_PASSWORDS_URL;
  if (!base) return null;
  const hash = encodeHexUpperCase(sha1(new TextEncoder().encode(password)));
  const prefix = hash.slice(0, 5);
  const suffix = hash.slice(5);
  try {
    const response = await withTimeout(
      deps.fetch(`${base.replace(/\/+$/, "")}/range/${prefix}`, { headers: { "Add-Padding": "true" } }),
      BREACH_CHECK_TIMEOUT_MS,
    );
    if (!response.ok) throw new Error(`answered ${response.status}`);
    for (const line of (await response.text()).split("\n")) {
      const [candidate, count] = line.trim().split(":");
      if (candidate?.toUpperCase() === suffix) return Number(count) || 0;
    }
    return 0;
  } catch (error) {
    deps.log({ level: "warn", msg: "breached-password check unavailable", error: error instanceof Error ? error.message : String(error) });
    return null;
  }
}

/** Refuses a new password built from context words or seen in a breach, beside `field`. */
export async function checkNewPassword(
  deps: Pick<Deps, "config" | "fetch" | "log">,
  password: string,
  account: { email: string; name?: string },
  field: string,
): Promise<void> {
  const words = contextWordsIn(password, account);
  if (words.length > 0) {
    throw validationError({ [field]: ["Do not build the password from your name, your email address or this site's name."] });
  }
  const seen = await breachCount(deps, password);
  if (seen !== null && seen > 0) {
    throw validationError({ [field]: ["This password has appeared in a data breach; choose another one."] });
  }
}
