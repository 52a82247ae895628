import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { bareApp, formPost } from "./error-app.fixture";
import { listField, parseForm, parseQuery, readForm, sentFields, zodFieldErrors } from "./validate";

const memberForm = z.object({ action: z.enum(["update", "remove"]), userId: listField(z.string().min(1)) });

function app() {
  const app = bareApp();
  app.post("/members", async (c) => c.json(await parseForm(c, memberForm)));
  app.post("/name", async (c) => c.json(await parseForm(c, z.object({ name: z.string().min(1, "Enter a name.") }))));
  app.get("/search", (c) => c.json(parseQuery(c, z.object({ q: z.string().default(""), tag: listField(z.string()) }))));
  return app;
}

describe("parseForm", () => {
  test("a repeated key reaches the schema as an array; values keep the last, lists keep all", async () => {
    const response = await app().request("/members", formPost([["action", "remove"], ["userId", "a"], ["userId", "b"], ["userId", "a"]]));
    expect(await response.json()).toEqual({
      ok: true,
      data: { action: "remove", userId: ["a", "b", "a"] },
      values: { action: "remove", userId: "a" },
      lists: { action: ["remove"], userId: ["a", "b", "a"] },
    });
  });

  test("a list field sent once is a list of one, and absent is an empty list", async () => {
    const once = await (await app().request("/members", formPost([["action", "update"], ["userId", "a"]]))).json();
    expect(once.data).toEqual({ action: "update", userId: ["a"] });
    const none = await (await app().request("/members", formPost([["action", "update"]]))).json();
    expect(none.data).toEqual({ action: "update", userId: [] });
    expect(none.lists).toEqual({ action: ["update"] });
  });

  test("a single-value schema is unchanged; the same key sent twice is an error beside that field", async () => {
    const ok = await (await app().request("/name", formPost([["name", "Ada"]]))).json();
    expect(ok).toEqual({ ok: true, data: { name: "Ada" }, values: { name: "Ada" }, lists: { name: ["Ada"] } });
    const blank = await (await app().request("/name", formPost([["name", ""]]))).json();
    expect(blank).toEqual({ ok: false, errors: { name: ["Enter a name."] }, values: { name: "" }, lists: { name: [""] } });
    const twice = await (await app().request("/name", formPost([["name", "A"], ["name", "B"]]))).json();
    expect(twice.ok).toBe(false);
    expect(Object.keys(twice.errors)).toEqual(["name"]);
    expect(twice.values).toEqual({ name: "B" });
  });

  test("list items go through the item schema, errors under the list's name", async () => {
    const response = await app().request("/members", formPost([["action", "remove"], ["userId", "a"], ["userId", ""]]));
    const body = await response.json();
    expect(body.ok).toBe(false);
    expect(Object.keys(body.errors)).toEqual(["userId"]);
  });

  test("files are left out; multipart text fields read like urlencoded ones", async () => {
    const form = new FormData();
    form.append("action", "update");
    form.append("userId", "a");
    form.append("userId", new File(["x"], "x.txt"));
    form.append("userId", "b");
    const body = await (await app().request("/members", { method: "POST", body: form })).json();
    expect(body).toEqual({
      ok: true,
      data: { action: "update", userId: ["a", "b"] },
      values: { action: "update", userId: "b" },
      lists: { action: ["update"], userId: ["a", "b"] },
    });
  });

  test("a body that is not a form reads as an empty form", async () => {
    const response = await app().request("/name", { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"Ada"}' });
    const body = await response.json();
    expect(body.ok).toBe(false);
    expect(body.values).toEqual({});
    expect(body.lists).toEqual({});
  });
});

describe("parseQuery", () => {
  test("reads the query string as a form: repeated keys are lists, a failure is field errors", async () => {
    const body = await (await app().request("/search?q=ada&tag=x&tag=y")).json();
    expect(body).toEqual({ ok: true, data: { q: "ada", tag: ["x", "y"] }, values: { q: "ada", tag: "y" }, lists: { q: ["ada"], tag: ["x", "y"] } });
    const empty = await (await app().request("/search")).json();
    expect(empty).toEqual({ ok: true, data: { q: "", tag: [] }, values: {}, lists: {} });
    const twice = await (await app().request("/search?q=a&q=b")).json();
    expect(twice.ok).toBe(false);
    expect(Object.keys(twice.errors)).toEqual(["q"]);
  });
});

describe("sentFields", () => {
  test("a key named __proto__ is an own key, never the prototype", () => {
    const sent = sentFields(JSON.parse('{"__proto__":"x","a":["1","2"]}'));
    expect(Object.keys(sent.values)).toEqual(["__proto__", "a"]);
    expect(Object.getPrototypeOf(sent.values)).toBe(Object.prototype);
    expect(sent.input).toEqual(JSON.parse('{"__proto__":"x","a":["1","2"]}'));
  });
});

describe("zodFieldErrors", () => {
  test("issues on fields go beside them; issues on the whole object go to _form", () => {
    const schema = z
      .object({ a: z.string().min(2, "Too short."), b: z.string() })
      .refine((v) => v.a !== v.b, "A and B must differ.");
    const failed = schema.safeParse({ a: "x", b: 1 });
    expect(failed.success).toBe(false);
    expect(Object.keys(zodFieldErrors(failed.error!)).sort()).toEqual(["a", "b"]);
    const same = schema.safeParse({ a: "xy", b: "xy" });
    expect(zodFieldErrors(same.error!)).toEqual({ _form: ["A and B must differ."] });
  });
});

describe("readForm", () => {
  test("gives every key's values without a schema, for forms whose keys are made per row", async () => {
    const app = bareApp();
    app.post("/modules", async (c) => {
      const { lists } = await readForm(c);
      return c.json((lists.module ?? []).map((id) => ({ id, roles: lists[`${id}.roles`] ?? [] })));
    });
    const response = await app.request("/modules", formPost([["module", "a"], ["a.roles", "x"], ["a.roles", "y"], ["module", "b"]]));
    expect(await response.json()).toEqual([{ id: "a", roles: ["x", "y"] }, { id: "b", roles: [] }]);
  });
});
