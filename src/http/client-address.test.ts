import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../test/app";
import { forwardedClient } from "./client-address";

describe("the client address behind our proxies", () => {
  test("the entry `hops` from the right; what the client wrote further left is ignored", () => {
    expect(forwardedClient("203.0.113.7", 1)).toBe("203.0.113.7");
    expect(forwardedClient("6.6.6.6, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(forwardedClient("6.6.6.6, 203.0.113.7, 10.0.0.2", 2)).toBe("203.0.113.7");
    // Fewer entries than proxies: every entry came from a proxy of ours; the leftmost is the client.
    expect(forwardedClient("203.0.113.7", 3)).toBe("203.0.113.7");
    expect(forwardedClient(" , ,", 1)).toBeNull();
    expect(forwardedClient(undefined, 1)).toBeNull();
  });

  describe("a forged X-Forwarded-For does not get around the per-client sign-in limit", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ LOGIN_MAX_FAILURES_PER_CLIENT: "3", LOGIN_MAX_FAILURES_PER_ACCOUNT: "100" });
    });
    afterAll(() => t.close());

    test("a new left-hand address on every try still counts against the one address the proxy saw", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await t.app.request("/api/auth/login", {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": `10.9.8.${i}, 198.51.100.77` },
          body: JSON.stringify({ email: `guess-${i}@example.com`, password: "not the password" }),
        });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    });
  });
});
