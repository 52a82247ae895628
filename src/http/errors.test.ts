import { describe, expect, test } from "bun:test";
import { AppError, validationError } from "../lib/errors";
import { bareApp } from "./error-app.fixture";

describe("the error handler's JSON answer", () => {
  const app = bareApp();
  app.get("/api/invalid", () => {
    throw validationError({ name: ["Enter a name."], _form: ["Whole form."] });
  });
  app.get("/api/taken", () => {
    throw new AppError(409, "name_taken", "Taken.", { fieldErrors: { name: ["Taken."] }, extra: 1 });
  });
  app.get("/api/limited", () => {
    throw new AppError(429, "rate_limited", "Slow down.", { retryAfterSeconds: 7 }, { "Retry-After": "7" });
  });

  test("is byte for byte what it was: the typed fieldErrors stay out of it", async () => {
    const invalid = await app.request("/api/invalid");
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toBe(
      '{"error":{"code":"validation_failed","message":"Some fields need attention.","details":{"fieldErrors":{"name":["Enter a name."],"_form":["Whole form."]}}}}',
    );
    const taken = await app.request("/api/taken");
    expect(taken.status).toBe(409);
    expect(await taken.text()).toBe('{"error":{"code":"name_taken","message":"Taken.","details":{"fieldErrors":{"name":["Taken."]},"extra":1}}}');
    const limited = await app.request("/api/limited");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(await limited.text()).toBe('{"error":{"code":"rate_limited","message":"Slow down.","details":{"retryAfterSeconds":7}}}');
  });
});
