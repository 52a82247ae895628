// Crafted `next` values, as an attacker would send them, against the function and every sink that
// takes one: none leaves the site, none causes a 500.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Browser, createTestApp, registerUser, strongPassword, type TestApp } from "../test/app";
import { safeRedirectTarget } from "./safe-redirect";

const HOSTILE = [
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "https://evil.example",
  "http:evil.example",
  "javascript:alert(1)",
  "JavaScript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "/%2f%2fevil.example",
  "/%2F%2Fevil.example",
  "/%5cevil.example",
  "/%5Cevil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\u0000/home",
  "/home\u0000",
  " //evil.example",
  "/％２ｆevil.example",
  "/\uff0f\uff0fevil.example",
  "/\u3002evil.example",
  "/%E0%A4%A",
  "/%",
  "evil.example",
  "home",
  "",
  "/" + "a".repeat(3000),
];

const FINE = ["/home", "/profile?tab=x", "/business/abc/workspace#members", "/invitations/abc?x=%2F%2F", "/admin-portal/users?q=a%2Fb"];

describe("safeRedirectTarget", () => {
  test.each(HOSTILE.map((value) => [JSON.stringify(value).slice(0, 60), value]))("%s → /home", (_, value) => {
    expect(safeRedirectTarget(value)).toBe("/home");
  });

  test("paths on this site pass unchanged (encoded slashes in the query are data, not a path)", () => {
    for (const value of FINE) expect(safeRedirectTarget(value)).toBe(value);
  });

  test("anything that is not a string is the fallback", () => {
    for (const value of [undefined, null, 42, ["/home"], { href: "/home" }]) expect(safeRedirectTarget(value)).toBe("/home");
    expect(safeRedirectTarget("//evil", "/login")).toBe("/login");
  });
});

describe("every sink that takes a redirect target", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT: "off" });
    await registerUser(t.app, "sinks@example.com", "Sink Tester");
  });
  afterAll(() => t.close());

  const staysHome = (response: Response) => {
    expect(response.status).toBeLessThan(500);
    const location = response.headers.get("location") ?? response.headers.get("hx-redirect");
    expect(location).toBe("/home");
  };

  test("POST /login and POST /register with a hostile next: /home, plain and htmx", async () => {
    // Each sign-in hashes a password: a plain post for every value, htmx for every other one, to keep
    // the test quick on sqld too.
    for (const [i, next] of HOSTILE.entries()) {
      const browser = new Browser(t.app);
      const headers: Record<string, string> = i % 2 ? { "hx-request": "true" } : {};
      staysHome(await browser.request("/login", { method: "POST", headers, form: { email: "sinks@example.com", password: strongPassword, next } }));
    }
    let i = 0;
    for (const next of HOSTILE.slice(0, 4)) {
      const browser = new Browser(t.app, `192.0.2.${++i}`);
      staysHome(await browser.request("/register", { method: "POST", form: { acceptTerms: "on", email: `sink-${i}@example.com`, password: strongPassword, name: "Sink", next } }));
    }
  }, 60_000);

  test("GET /login and GET /register when already signed in, with a hostile next", async () => {
    const browser = new Browser(t.app);
    await browser.request("/login", { method: "POST", form: { email: "sinks@example.com", password: strongPassword } });
    for (const next of HOSTILE) {
      const query = `?next=${encodeURIComponent(next)}`;
      staysHome(await browser.request(`/login${query}`));
      staysHome(await browser.request(`/register${query}`));
    }
  });

  test("raw, undecodable query strings never cause a 500", async () => {
    const browser = new Browser(t.app);
    for (const raw of ["%", "%E0%A4%A", "%00", "%%2f%2f", "//evil"]) {
      const response = await browser.request(`/login?next=${raw}`);
      expect(response.status).toBeLessThan(500);
    }
  });
});
