// A module version's manifest as the developer sends it, checked and sanitized before it is stored: unknown fields
// dropped, every address https on the public internet (http only to this machine while developing), no
// credentials or script/data URLs, lengths and counts capped. What is stored is what parseManifest returns — the
// runtime and the host page trust nothing else. Pure: tested without a database, and fuzzed (manifest.test.ts).
import ipaddr from "ipaddr.js";
import { z } from "zod";
import type { FieldErrors } from "../../lib/errors";

export const MODULE_SCOPES = ["profile.read", "context.read", "members.read", "calendar.read", "calendar.write", "notifications.send", "chat.post"] as const;
export type ModuleScope = (typeof MODULE_SCOPES)[number];

/** What each scope lets a module do, in the words the consent screen uses. */
export const SCOPE_WORDS: Record<ModuleScope, string> = {
  "profile.read": "See your display name, language and time zone",
  "context.read": "See the name and kind of the space it is installed in",
  "members.read": "See the members of that space (names, without their email addresses or ids)",
  "calendar.read": "See the events in that space's calendars",
  "calendar.write": "Add and change events in that space's calendars, as you",
  "notifications.send": "Send you notifications",
  "chat.post": "Post messages in that space's chat, as you",
};

export const BRIDGE_ACTIONS = ["ready", "getToken", "navigate", "notify", "resize"] as const;
export type BridgeAction = (typeof BRIDGE_ACTIONS)[number];

export const CURRENCIES = ["usd", "eur", "gbp"] as const;
export const MAX_URL_LENGTH = 2048;
/** Monthly prices in minor units: 1.00 to 10,000.00. */
export const MIN_PRICE = 100;
export const MAX_PRICE = 1_000_000;

export type ModulePricing = { model: "free" } | { model: "per_seat" | "per_context"; monthlyAmount: number; currency: (typeof CURRENCIES)[number] };

export interface ModuleManifest {
  entryUrl: string;
  scopes: ModuleScope[];
  bridge: BridgeAction[];
  webhookUrl: string | null;
  pricing: ModulePricing;
}

export interface UrlRules {
  /** Not production: http to this machine and private addresses are allowed (a developer's own server). */
  development: boolean;
}

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);
const PRIVATE_NAME = /(^|\.)(localhost|local|internal|lan|intranet|corp|home\.arpa)$/i;

/** Why `text` cannot be a module's address (null: it can). */
export function urlProblem(text: string, rules: UrlRules): string | null {
  if (text.length > MAX_URL_LENGTH) return `Keep the address under ${MAX_URL_LENGTH} characters.`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "Give a full web address, starting with https://.";
  }
  if (url.username || url.password) return "Put no user name or password in the address.";
  const host = url.hostname.toLowerCase();
  if (url.protocol === "http:") {
    if (rules.development && LOOPBACK_NAMES.has(host)) return null;
    return rules.development ? "Use https:// (http:// only to localhost while developing)." : "Use https://.";
  }
  if (url.protocol !== "https:") return "Use https://.";
  if (rules.development) return null;
  const literal = host.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(literal)) return ipaddr.process(literal).range() === "unicast" ? null : "The address points into a private network.";
  if (!host.includes(".") || PRIVATE_NAME.test(host)) return "Give an address on the public internet.";
  return null;
}

const address = (rules: UrlRules) =>
  z
    .string()
    .trim()
    .max(MAX_URL_LENGTH, `Keep the address under ${MAX_URL_LENGTH} characters.`)
    .superRefine((text, ctx) => {
      const problem = urlProblem(text, rules);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((text) => new URL(text).href);

const unique = <T extends string>(list: T[]) => [...new Set(list)];

function manifestSchema(rules: UrlRules) {
  return z.object({
    entryUrl: address(rules),
    scopes: z
      .array(z.enum(MODULE_SCOPES, { error: `Use scopes from: ${MODULE_SCOPES.join(", ")}.` }))
      .max(MODULE_SCOPES.length * 2)
      .default([])
      .transform(unique),
    bridge: z
      .array(z.enum(BRIDGE_ACTIONS, { error: `Use bridge actions from: ${BRIDGE_ACTIONS.join(", ")}.` }))
      .max(BRIDGE_ACTIONS.length * 2)
      .default(["ready", "getToken", "resize"])
      .transform(unique),
    webhookUrl: address(rules).nullable().default(null),
    pricing: z
      .discriminatedUnion("model", [
        z.object({ model: z.literal("free") }),
        z.object({
          model: z.enum(["per_seat", "per_context"]),
          monthlyAmount: z.number().int("Give the price in whole cents.").min(MIN_PRICE, "At least 1.00 a month.").max(MAX_PRICE, "At most 10,000.00 a month."),
          currency: z.enum(CURRENCIES, { error: `Use ${CURRENCIES.join(", ")}.` }),
        }),
      ])
      .default({ model: "free" }),
  });
}

export type ManifestResult = { ok: true; manifest: ModuleManifest } | { ok: false; errors: FieldErrors };

/** The manifest as stored, or what is wrong with it keyed "manifest.<field>" (a list's item by its index). */
export function parseManifest(input: unknown, rules: UrlRules): ManifestResult {
  const result = manifestSchema(rules).safeParse(input);
  if (result.success) return { ok: true, manifest: result.data as ModuleManifest };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = ["manifest", ...issue.path.map(String)].join(".");
    (errors[key] ??= []).push(issue.message);
  }
  return { ok: false, errors };
}

/** The origin a module's frame is allowed to load from (its CSP frame-src). */
export const moduleOrigin = (manifest: Pick<ModuleManifest, "entryUrl">) => new URL(manifest.entryUrl).origin;

/** Scopes `next` asks for that `granted` does not hold: what a new consent must cover. */
export const scopesBeyond = (next: readonly string[], granted: readonly string[]) => next.filter((scope) => !granted.includes(scope));
