// The module API's OpenAPI document: valid 3.1 in shape, every runtime route in it (and nothing else), and its
// request schemas exactly the zod schemas the routes validate with.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { z } from "zod";
import { createTestApp, type TestApp } from "../../test/app";
import { moduleEventInput } from "../calendar";
import { chatInput, eventsQuery, moduleRuntimeApi, notificationInput } from "./runtime-api";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("openapi.json", () => {
  test("every route of the module API is documented, with the schemas it validates with", async () => {
    const response = await t.app.request("/api/module-runtime/openapi.json");
    expect(response.status).toBe(200);
    const doc = await response.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.moduleToken).toEqual({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    // Hono lists a route once per handler (its validator too): one each.
    const routes = [...new Set(moduleRuntimeApi().routes.filter((r) => r.method !== "ALL" && r.method !== "OPTIONS" && !r.path.endsWith("/openapi.json")).map((r) => `${r.method.toLowerCase()} ${r.path}`))].sort();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`))
      .sort();
    expect(documented).toEqual(routes);
    const strip = (schema: z.ZodType) => {
      const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
      return rest;
    };
    expect(doc.paths["/api/module-runtime/calendar/events"].post.requestBody.content["application/json"].schema).toEqual(strip(moduleEventInput));
    expect(doc.paths["/api/module-runtime/notifications"].post.requestBody.content["application/json"].schema).toEqual(strip(notificationInput));
    expect(doc.paths["/api/module-runtime/chat"].post.requestBody.content["application/json"].schema).toEqual(strip(chatInput));
    const params = doc.paths["/api/module-runtime/calendar/events"].get.parameters;
    expect(params.map((p: { name: string; required: boolean }) => [p.name, p.required])).toEqual(Object.keys(eventsQuery.shape).map((name) => [name, name !== "timeZone"]));
    expect(doc.paths["/api/module-runtime/members"].get["x-scope"]).toBe("members.read");
  });
});
