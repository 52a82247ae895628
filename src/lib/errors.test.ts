import { describe, expect, test } from "bun:test";
import { AppError, validationError } from "./errors";

describe("AppError.fieldErrors", () => {
  test("validationError sets them, and details keeps them as before", () => {
    const error = validationError({ name: ["Enter a name."] });
    expect(error.fieldErrors).toEqual({ name: ["Enter a name."] });
    expect(error.details).toEqual({ fieldErrors: { name: ["Enter a name."] } });
    expect(error.status).toBe(400);
    expect(error.code).toBe("validation_failed");
    expect(error.message).toBe("Some fields need attention.");
  });

  test("any AppError built with details.fieldErrors has them", () => {
    const error = new AppError(409, "name_taken", "Taken.", { fieldErrors: { name: ["Taken."] }, other: 1 });
    expect(error.fieldErrors).toEqual({ name: ["Taken."] });
    expect(error.details).toEqual({ fieldErrors: { name: ["Taken."] }, other: 1 });
  });

  test("an error without field errors has an empty object", () => {
    expect(new AppError(409, "last_owner", "Last owner.").fieldErrors).toEqual({});
    expect(new AppError(429, "rate_limited", "Slow down.", { retryAfterSeconds: 5 }).fieldErrors).toEqual({});
  });

  test("malformed details.fieldErrors count as none; empty or non-text messages are dropped", () => {
    for (const fieldErrors of [null, "text", ["a"], 3]) {
      expect(new AppError(400, "x", "m", { fieldErrors }).fieldErrors).toEqual({});
    }
    const mixed = new AppError(400, "x", "m", { fieldErrors: { a: [], b: "not a list", c: ["ok", 3], _form: ["Whole form."] } });
    expect(mixed.fieldErrors).toEqual({ c: ["ok"], _form: ["Whole form."] });
  });

  test("a field named __proto__ is an own field, not a prototype", () => {
    const error = new AppError(400, "x", "m", { fieldErrors: JSON.parse('{"__proto__":["odd"]}') });
    expect(Object.keys(error.fieldErrors)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(error.fieldErrors)).toBe(Object.prototype);
  });
});
