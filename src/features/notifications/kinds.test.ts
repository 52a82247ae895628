// The kinds registry and the preference rules, without a database. The service (service.ts),
// the digest (digest.ts) and the routes are tested over HTTP in the other *.test.ts files here.
import { describe, expect, test } from "bun:test";
import { checkPreferences, effectiveDeliveries, isKnownKind, NOTIFICATION_KINDS } from "./kinds";
import { isSameSitePath } from "./service";

describe("kinds", () => {
  test("the registry names mentions, direct messages, invitations and membership changes, each with a label and a default", () => {
    const byKind = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k.kind, k]));
    expect(byKind["chat.mention"]).toEqual({ kind: "chat.mention", label: "Mentions", defaultDelivery: "email" });
    expect(byKind["chat.direct"]?.defaultDelivery).toBe("email");
    expect(byKind["invitation"]?.defaultDelivery).toBe("email");
    expect(byKind["members"]).toEqual({ kind: "members", label: "Membership changes", defaultDelivery: "app" });
    expect(isKnownKind("chat.mention")).toBe(true);
    expect(isKnownKind("chat")).toBe(false);
    expect(isKnownKind("__proto__")).toBe(false);
  });

  test("every kind gets the user's choice, else its default", () => {
    const all = effectiveDeliveries(new Map([["members", "off" as const], ["gone.kind", "email" as const]]));
    expect(all).toEqual({ "chat.mention": "email", "chat.direct": "email", invitation: "email", members: "off", "privacy.export": "app", "calendar.invitation": "email", "calendar.rsvp": "app", "calendar.approval": "email", "calendar.reminder": "app", "modules.review": "email", "modules.update": "app", "modules.message": "app", "billing.payment": "email" });
  });

  test("preferences as sent: unknown kinds and deliveries are named, keyed by the kind", () => {
    expect(checkPreferences({ "chat.mention": "app", members: "off" })).toEqual({ ok: true, preferences: { "chat.mention": "app", members: "off" } });
    const refused = checkPreferences({ "chat.mention": "sms", "no.such": "app", invitation: 3 });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(Object.keys(refused.fieldErrors).sort()).toEqual(["chat.mention", "invitation", "no.such"]);
    expect(refused.fieldErrors["no.such"]![0]).toContain("no notification kind");
    expect(checkPreferences({})).toEqual({ ok: true, preferences: {} });
    const proto = checkPreferences(JSON.parse('{"__proto__": "email"}'));
    expect(proto.ok).toBe(false);
    if (!proto.ok) expect(Object.keys(proto.fieldErrors)).toEqual(["__proto__"]);
  });

  test("a notification's url is a path on this site", () => {
    for (const ok of ["/", "/chat/abc", "/notifications?cursor=x#y"]) expect(isSameSitePath(ok)).toBe(true);
    for (const bad of ["//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "chat/abc", "", "/%2f%2fevil", "/a\nb"]) {
      expect(isSameSitePath(bad)).toBe(false);
    }
  });
});
