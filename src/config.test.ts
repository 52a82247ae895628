import { describe, expect, test } from "bun:test";
import { ConfigError, parseConfig, publicLink } from "./config";

describe("config", () => {
  test("defaults give a working local set-up on an embedded file", () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe("file:data/app.db");
    expect(config.RATE_LIMIT).toBe("on");
    expect(config.isProduction).toBe(false);
    expect(parseConfig({ NODE_ENV: "production", PUBLIC_URL: "https://blocks.example.com", SECRET_KEYS: "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }).isProduction).toBe(true);
  });

  test("every bad variable is named in one message", () => {
    let message = "";
    try {
      parseConfig({ PORT: "eighty", RATE_LIMIT: "maybe", PUBLIC_URL: "not a url" });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain("PORT");
    expect(message).toContain("RATE_LIMIT");
    expect(message).toContain("PUBLIC_URL");
  });

  test("empty values count as unset", () => {
    expect(parseConfig({ PORT: "", GITHUB_CLIENT_ID: "" }).PORT).toBe(3000);
  });

  test("production refuses to start without PUBLIC_URL, so links and redirects never follow the Host header", () => {
    expect(() => parseConfig({ NODE_ENV: "production" })).toThrow("PUBLIC_URL");
    const provider = { NODE_ENV: "production", GOOGLE_CLIENT_ID: "id", GOOGLE_CLIENT_SECRET: "secret" };
    expect(() => parseConfig(provider)).toThrow("PUBLIC_URL");
    expect(parseConfig({ ...provider, PUBLIC_URL: "https://blocks.example.com", SECRET_KEYS: "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }).PUBLIC_URL).toBe("https://blocks.example.com");
  });

  test("production refuses to start without SECRET_KEYS, and bad keys are named", () => {
    expect(() => parseConfig({ NODE_ENV: "production", PUBLIC_URL: "https://blocks.example.com" })).toThrow("SECRET_KEYS");
    expect(() => parseConfig({ SECRET_KEYS: "k1:c2hvcnQ=" })).toThrow("SECRET_KEYS: key k1 must be 32 bytes");
    expect(parseConfig({ SECRET_KEYS: `k2:${Buffer.alloc(32, 2).toString("base64")},k1:${Buffer.alloc(32, 1).toString("base64")}` }).secretKeys.map((k) => k.id)).toEqual(["k2", "k1"]);
  });

  test("links in mail use PUBLIC_URL, else this machine in development", () => {
    expect(publicLink(parseConfig({ PUBLIC_URL: "https://blocks.example.com/" }), "/verify/abc")).toBe("https://blocks.example.com/verify/abc");
    expect(publicLink(parseConfig({ PORT: "4000" }), "verify/abc")).toBe("http://localhost:4000/verify/abc");
  });
});
