// The manifest's checks, example by example and fuzzed with fast-check: whatever is thrown at parseManifest, what
// it accepts has only known fields, https addresses on the public internet without credentials, and capped sizes.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { BRIDGE_ACTIONS, MAX_URL_LENGTH, MODULE_SCOPES, parseManifest, scopesBeyond, urlProblem, type ModuleManifest } from "./manifest";

const production = { development: false };
const development = { development: true };

describe("addresses", () => {
  test("refused in production: script and data URLs, credentials, http, private and loopback hosts, intranet names", () => {
    for (const bad of [
      "javascript:alert(1)",
      "JAVASCRIPT:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "file:///etc/passwd",
      "ftp://example.com/",
      "https://user:pass@example.com/",
      "https://user@example.com/",
      "http://example.com/",
      "https://127.0.0.1/",
      "https://10.1.2.3/app",
      "https://192.168.0.10/",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/",
      "https://[::ffff:127.0.0.1]/",
      "https://0.0.0.0/",
      "https://2130706433/", // 127.0.0.1 as one number, which URL normalizes
      "https://localhost/",
      "https://app.localhost/",
      "https://printer.local/",
      "https://intranet/",
      "https://db.internal/",
      "not a url",
      `https://example.com/${"a".repeat(MAX_URL_LENGTH)}`,
    ]) expect([bad, urlProblem(bad, production)]).not.toEqual([bad, null]);
  });

  test("accepted: public https; while developing also http to localhost and private hosts", () => {
    expect(urlProblem("https://module.example.com/app?x=1", production)).toBeNull();
    expect(urlProblem("https://93.184.216.34/", production)).toBeNull();
    expect(urlProblem("http://localhost:4000/", development)).toBeNull();
    expect(urlProblem("http://127.0.0.1:4000/", development)).toBeNull();
    expect(urlProblem("https://10.0.0.5/", development)).toBeNull();
    expect(urlProblem("http://example.com/", development)).not.toBeNull();
    expect(urlProblem("javascript:alert(1)", development)).not.toBeNull();
  });
});

describe("parseManifest", () => {
  test("sanitized: unknown fields dropped, repeats merged, defaults filled, the address normalized", () => {
    const result = parseManifest({ entryUrl: " https://Module.Example.com/app ", scopes: ["calendar.read", "calendar.read"], evil: "<script>", pricing: { model: "free", extra: 1 } }, production);
    expect(result).toEqual({ ok: true, manifest: { entryUrl: "https://module.example.com/app", scopes: ["calendar.read"], bridge: ["ready", "getToken", "resize"], webhookUrl: null, pricing: { model: "free" } } });
  });

  test("refused with every field named", () => {
    const result = parseManifest({ entryUrl: "javascript:alert(1)", scopes: ["calendar.read", "root"], bridge: ["eval"], webhookUrl: "https://10.0.0.1/hook", pricing: { model: "per_seat", monthlyAmount: 12.5, currency: "btc" } }, production);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["manifest.bridge.0", "manifest.entryUrl", "manifest.pricing.currency", "manifest.pricing.monthlyAmount", "manifest.scopes.1", "manifest.webhookUrl"].sort());
    expect(parseManifest("not an object", production)).toMatchObject({ ok: false, errors: { manifest: [expect.any(String)] } });
  });

  test("paid: a monthly price per seat or per context in whole minor units", () => {
    expect(parseManifest({ entryUrl: "https://m.example.com/", pricing: { model: "per_context", monthlyAmount: 900, currency: "eur" } }, production)).toMatchObject({ ok: true, manifest: { pricing: { model: "per_context", monthlyAmount: 900, currency: "eur" } } });
    expect(parseManifest({ entryUrl: "https://m.example.com/", pricing: { model: "per_seat", monthlyAmount: 5 } }, production).ok).toBe(false);
  });

  test("scopes beyond those granted are what a new consent must cover", () => {
    expect(scopesBeyond(["calendar.read", "calendar.write"], ["calendar.read"])).toEqual(["calendar.write"]);
    expect(scopesBeyond(["calendar.read"], ["calendar.read", "chat.post"])).toEqual([]);
  });
});

// Addresses built from the pieces an attacker would reach for.
const hostArb = fc.oneof(
  fc.domain(),
  fc.ipV4(),
  fc.ipV6().map((ip) => `[${ip}]`),
  fc.constantFrom("localhost", "127.0.0.1", "0.0.0.0", "[::1]", "169.254.169.254", "10.0.0.1", "app.local", "2130706433", "0x7f.1", "例え.テスト"),
);
const urlArb = fc.oneof(
  fc.tuple(fc.constantFrom("https://", "http://", "javascript:", "data:", "HTTPS://", "file://", "//", "https:/", " https://"), fc.option(fc.constantFrom("user:pw@", "user@", ":@"), { nil: "" }), hostArb, fc.option(fc.webPath(), { nil: "" }), fc.option(fc.string({ maxLength: 3000 }), { nil: "" })).map((parts) => parts.join("")),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string({ maxLength: 100 }),
);
const manifestArb = fc.record(
  {
    entryUrl: urlArb,
    scopes: fc.array(fc.oneof(fc.constantFrom(...MODULE_SCOPES), fc.string({ maxLength: 20 })), { maxLength: 30 }),
    bridge: fc.array(fc.oneof(fc.constantFrom(...BRIDGE_ACTIONS), fc.string({ maxLength: 10 })), { maxLength: 30 }),
    webhookUrl: fc.option(urlArb, { nil: null }),
    pricing: fc.oneof(fc.constant({ model: "free" }), fc.record({ model: fc.constantFrom("per_seat", "per_context", "free", "gratis"), monthlyAmount: fc.oneof(fc.integer(), fc.double()), currency: fc.constantFrom("usd", "eur", "btc") })),
    extra: fc.anything(),
    __proto__: fc.anything(),
  },
  { requiredKeys: [] },
);

function assertSafeUrl(text: string) {
  const url = new URL(text);
  expect(text.length).toBeLessThanOrEqual(MAX_URL_LENGTH + 16); // normalizing can only add a slash or percent-encoding
  expect(url.protocol).toBe("https:");
  expect(url.username + url.password).toBe("");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(host)) expect(ipaddr.process(host).range()).toBe("unicast");
  else expect(host).toContain(".");
  expect(host).not.toMatch(/(^|\.)(localhost|local|internal)$/);
}

describe("fuzzed", () => {
  test("no unsafe address, unknown field or oversize list is ever accepted in production", () => {
    fc.assert(
      fc.property(manifestArb, (input) => {
        const result = parseManifest(input, production);
        if (!result.ok) return;
        const manifest: ModuleManifest = result.manifest;
        expect(Object.keys(manifest).sort()).toEqual(["bridge", "entryUrl", "pricing", "scopes", "webhookUrl"]);
        assertSafeUrl(manifest.entryUrl);
        if (manifest.webhookUrl !== null) assertSafeUrl(manifest.webhookUrl);
        expect(manifest.scopes.every((s) => (MODULE_SCOPES as readonly string[]).includes(s))).toBe(true);
        expect(new Set(manifest.scopes).size).toBe(manifest.scopes.length);
        expect(manifest.bridge.every((b) => (BRIDGE_ACTIONS as readonly string[]).includes(b))).toBe(true);
        if (manifest.pricing.model === "free") expect(Object.keys(manifest.pricing)).toEqual(["model"]);
        else expect(Number.isInteger(manifest.pricing.monthlyAmount) && manifest.pricing.monthlyAmount >= 100 && manifest.pricing.monthlyAmount <= 1_000_000).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  test("some fuzzed manifests pass, so the property above is not vacuous", () => {
    let passed = 0;
    fc.assert(
      fc.property(fc.record({ entryUrl: fc.webUrl().map((u) => u.replace(/^http:/, "https:")) }), (input) => {
        if (parseManifest(input, production).ok) passed++;
      }),
      { numRuns: 300 },
    );
    expect(passed).toBeGreaterThan(100);
  });
});
