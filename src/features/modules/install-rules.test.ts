import { describe, expect, test } from "bun:test";
import { consentErrors, mayInstall, onApproval, parseContextRef } from "./install-rules";

describe("install rules", () => {
  test("a context is named type:id, nothing else", () => {
    expect(parseContextRef("business:abc_1")).toEqual({ type: "business", id: "abc_1" });
    for (const bad of ["business", "business:", "team:abc", "business:a/b", "business:abc:def", ` business:abc`]) expect(parseContextRef(bad)).toBeNull();
  });

  test("who may install: oneself, a business's owners and admins, a household's owners", () => {
    expect(mayInstall({ type: "personal", id: "u1" }, { userId: "u1" })).toBe(true);
    expect(mayInstall({ type: "personal", id: "u2" }, { userId: "u1" })).toBe(false);
    expect(mayInstall({ type: "business", id: "b" }, { userId: "u1", businessRole: "admin" })).toBe(true);
    expect(mayInstall({ type: "business", id: "b" }, { userId: "u1", businessRole: "manager" })).toBe(false);
    expect(mayInstall({ type: "household", id: "h" }, { userId: "u1", householdRole: "owner" })).toBe(true);
    expect(mayInstall({ type: "household", id: "h" }, { userId: "u1", householdRole: "adult" })).toBe(false);
  });

  test("a consent grants exactly what is asked", () => {
    expect(consentErrors(["calendar.read"], ["calendar.read"])).toEqual({});
    expect(consentErrors(["calendar.read", "chat.post"], ["calendar.read"]).scopes![0]).toContain("grant chat.post");
    expect(consentErrors(["calendar.read"], ["calendar.read", "calendar.write"]).scopes![0]).toContain("do not grant calendar.write");
  });

  test("a new version runs at once unless it asks for more; fewer scopes is a change the module hears of", () => {
    expect(onApproval({ scopes: ["calendar.read", "chat.post"] }, { scopes: ["calendar.read", "chat.post"] })).toEqual({ kind: "upgrade", scopes: ["calendar.read", "chat.post"], scopesChanged: false });
    expect(onApproval({ scopes: ["calendar.read", "chat.post"] }, { scopes: ["calendar.read"] })).toEqual({ kind: "upgrade", scopes: ["calendar.read"], scopesChanged: true });
    expect(onApproval({ scopes: ["calendar.read"] }, { scopes: ["calendar.read", "calendar.write"] })).toEqual({ kind: "waits", newScopes: ["calendar.write"] });
  });
});
