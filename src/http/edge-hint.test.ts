// The edge's hint of where a request comes from: Cloudflare's request.cf, or its headers from a trusted proxy.
import { describe, expect, test } from "bun:test";
import { createTestApp, strongPassword } from "../test/app";
import { edgeHint } from "./edge-hint";

const withCf = (cf: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const request = new Request("http://localhost/register", { headers });
  Object.defineProperty(request, "cf", { value: cf });
  return request;
};
const withHeaders = (headers: Record<string, string>) => new Request("http://localhost/register", { headers });

describe("edgeHint", () => {
  test("reads Cloudflare's request.cf on Workers", () => {
    expect(edgeHint(withCf({ country: "DE", region: "Bavaria", city: "Munich", latitude: "48.1" }))).toEqual({ country: "DE", region: "Bavaria", city: "Munich" });
    expect(edgeHint(withCf({ country: "NG" }))).toEqual({ country: "NG", region: undefined, city: undefined });
  });

  test("request.cf wins over the headers; the headers fill what cf leaves out", () => {
    const request = withCf({ country: "DE", city: "  Munich " }, { "cf-ipcountry": "GB", "cf-region": "Bavaria", "cf-ipcity": "London" });
    expect(edgeHint(request)).toEqual({ country: "DE", region: "Bavaria", city: "Munich" });
  });

  test("reads CF-IPCountry and the visitor location headers, URL-decoded", () => {
    expect(edgeHint(withHeaders({ "CF-IPCountry": "BR", "cf-region": "S%C3%A3o%20Paulo", "cf-ipcity": "S%C3%A3o%20Paulo" }))).toEqual({
      country: "BR",
      region: "São Paulo",
      city: "São Paulo",
    });
    expect(edgeHint(withHeaders({ "cf-ipcountry": "gb", "cf-region": "England", "cf-ipcity": "London" }))).toEqual({ country: "gb", region: "England", city: "London" });
  });

  test("a header that does not decode is left out, the country is kept", () => {
    expect(edgeHint(withHeaders({ "cf-ipcountry": "IN", "cf-region": "Karnataka", "cf-ipcity": "%E0%A4%A" }))).toEqual({ country: "IN", region: "Karnataka", city: undefined });
    expect(edgeHint(withHeaders({ "cf-ipcountry": "IN", "cf-region": "%20%20", "cf-ipcity": "" }))).toEqual({ country: "IN", region: undefined, city: undefined });
  });

  test("without a trusted proxy the headers are ignored (any client can send them); request.cf still counts", async () => {
    expect(edgeHint(withHeaders({ "cf-ipcountry": "DE", "cf-region": "Bavaria", "cf-ipcity": "Munich" }), false)).toBeNull();
    expect(edgeHint(withCf({ country: "NG" }, { "cf-region": "Lagos" }), false)).toEqual({ country: "NG", region: undefined, city: undefined });
    const direct = await createTestApp({ RATE_LIMIT: "off", TRUST_PROXY: "false" });
    try {
      const response = await direct.app.request("/api/auth/register", {
        method: "POST",
        headers: { "content-type": "application/json", "cf-ipcountry": "DE", "cf-region": "Bavaria", "cf-ipcity": "Munich" },
        body: JSON.stringify({ acceptTerms: true, email: "direct@example.com", password: strongPassword, name: "Direct" }),
      });
      expect(response.status).toBe(201);
      expect(((await response.json()) as { user: { blockId: string } }).user.blockId).toBe("44-000-000-000001");
    } finally {
      direct.close();
    }
  });

  test("XX (unknown), T1 (Tor), a missing or malformed country mean no hint", () => {
    expect(edgeHint(withHeaders({ "cf-ipcountry": "XX", "cf-region": "Nowhere", "cf-ipcity": "Nowhere" }))).toBeNull();
    expect(edgeHint(withHeaders({ "cf-ipcountry": "T1" }))).toBeNull();
    expect(edgeHint(withHeaders({ "cf-ipcountry": "xx" }))).toBeNull();
    expect(edgeHint(withCf({ country: "T1", region: "Bavaria" }))).toBeNull();
    expect(edgeHint(withHeaders({}))).toBeNull();
    expect(edgeHint(withHeaders({ "cf-region": "Bavaria", "cf-ipcity": "Munich" }))).toBeNull();
    expect(edgeHint(withHeaders({ "cf-ipcountry": "GBR" }))).toBeNull();
    expect(edgeHint(withHeaders({ "cf-ipcountry": "  " }))).toBeNull();
    expect(edgeHint(withCf({ country: 44 }))).toBeNull();
  });
});
