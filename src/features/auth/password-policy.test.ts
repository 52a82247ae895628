import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sha1 } from "@oslojs/crypto/sha1";
import { encodeHexUpperCase } from "@oslojs/encoding";
import { createTestApp, loginToken, registerUser, strongPassword, type TestApp } from "../../test/app";
import { contextWordsIn, isCommonPassword } from "./password-policy";

describe("password rules without a database", () => {
  test("the most common passwords are refused in any letter case; long passphrases are not", () => {
    for (const common of ["password1", "Iloveyou", "QWERTYUIOP", "letmein123", "12345678"]) expect(isCommonPassword(common)).toBe(true);
    for (const fine of [strongPassword, "my secret phrase", "tr0ub4dor&3-but-longer"]) expect(isCommonPassword(fine)).toBe(false);
  });

  test("context words: this product, the email's parts and the name, ignoring case and punctuation", () => {
    const ada = { email: "ada.lovelace@analytical.org", name: "Ada Lovelace" };
    expect(contextWordsIn("Block-On-Block 2026!", ada)).toEqual(["blockonblock"]);
    expect(contextWordsIn("lovelace and more", ada)).toEqual(["lovelace"]);
    expect(contextWordsIn("ANALYTICAL engines", ada)).toEqual(["analytical"]);
    expect(contextWordsIn("ada.lovelace99", ada)).toContain("adalovelace");
    // Words under four letters do not count ("ada" alone would refuse far too much).
    expect(contextWordsIn("adamant horses gallop", ada)).toEqual([]);
    expect(contextWordsIn(strongPassword, ada)).toEqual([]);
  });
});

describe("new passwords over HTTP", () => {
  // A Pwned Passwords range API on loopback, speaking the real protocol: GET /range/<5 hex> →
  // "<35 hex suffix>:<count>" lines. It knows one breached password and records what it was asked.
  const breached = "hunter2 but longer";
  const breachedHash = encodeHexUpperCase(sha1(new TextEncoder().encode(breached)));
  const asked: string[] = [];
  let paddingHeader: string | null = null;
  const rangeApi = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const prefix = new URL(request.url).pathname.replace("/range/", "");
      asked.push(prefix);
      paddingHeader = request.headers.get("add-padding");
      const lines = ["0018A45C4D1DEF81644B54AB7F969B88D65:1", "00D4F6E8FA6EECAD2A3AA415EEC418D38EC:2"];
      if (prefix === breachedHash.slice(0, 5)) lines.push(`${breachedHash.slice(5)}:52579`);
      return new Response(lines.join("\r\n"));
    },
  });
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PWNED_PASSWORDS_URL: `http://127.0.0.1:${rangeApi.port}` });
  });
  afterAll(() => {
    t.close();
    rangeApi.stop(true);
  });

  const register = (email: string, password: string, name = "Someone") =>
    t.app.request("/api/auth/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ acceptTerms: true, email, password, name }),
    });
  const fieldErrors = async (response: Response) =>
    ((await response.json()) as { error: { details: { fieldErrors: Record<string, string[]> } } }).error.details.fieldErrors;

  test("a common password is refused beside the field, and no account is made", async () => {
    const response = await register("common@example.com", "Password1");
    expect(response.status).toBe(400);
    expect((await fieldErrors(response)).password?.[0]).toContain("most common");
    expect((await register("common@example.com", strongPassword)).status).toBe(201);
  });

  test("a password built from the account's own name or address, or this site's, is refused", async () => {
    const byName = await register("grace@navy.mil", "hopper grace 1906", "Grace Hopper");
    expect(byName.status).toBe(400);
    expect((await fieldErrors(byName)).password?.[0]).toContain("your name");
    expect((await register("grace@navy.mil", "Block on Block rocks", "Grace Hopper")).status).toBe(400);
    expect((await register("grace@navy.mil", "navy ships at sea", "Grace Hopper")).status).toBe(400);
  });

  test("a breached password is refused; only five hex digits of its SHA-1 leave the server, with padding asked for", async () => {
    asked.length = 0;
    const response = await register("breach@example.com", breached);
    expect(response.status).toBe(400);
    expect((await fieldErrors(response)).password?.[0]).toContain("data breach");
    expect(asked).toEqual([breachedHash.slice(0, 5)]);
    expect(paddingHeader).toBe("true");
    expect((await register("breach@example.com", strongPassword)).status).toBe(201);
  });

  test("a password change goes through the same rules", async () => {
    await registerUser(t.app, "changer@example.com", "Changer Person");
    const token = await loginToken(t.app, "changer@example.com");
    const change = (newPassword: string) =>
      t.app.request("/api/auth/password", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ currentPassword: strongPassword, newPassword }),
      });
    expect((await fieldErrors(await change("iloveyou1"))).newPassword?.[0]).toContain("most common");
    expect((await fieldErrors(await change("changer-again-2026"))).newPassword?.[0]).toContain("your name");
    expect((await fieldErrors(await change(breached))).newPassword?.[0]).toContain("data breach");
  });

  test("when the breach API is down, sign-up still works (and the outage is logged, not shown)", async () => {
    const down = await createTestApp({ PWNED_PASSWORDS_URL: "http://127.0.0.1:9" });
    try {
      const response = await down.app.request("/api/auth/register", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ acceptTerms: true, email: "down@example.com", password: breached, name: "Down" }),
      });
      expect(response.status).toBe(201);
    } finally {
      down.close();
    }
  });
});
