import { describe, expect, test } from "bun:test";
import { compareVersions, VERSION_PATTERN } from "./versions";

describe("versions", () => {
  test("compared as numbers, part by part", () => {
    expect(["1.10.0", "1.9.0", "0.0.1", "1.9.10", "2.0.0"].sort(compareVersions)).toEqual(["0.0.1", "1.9.0", "1.9.10", "1.10.0", "2.0.0"]);
    expect(compareVersions("1.2.3", "1.2.3")).toBe(0);
  });
  test("only MAJOR.MINOR.PATCH without leading zeros", () => {
    for (const good of ["0.1.0", "1.0.0", "12.34.56"]) expect(VERSION_PATTERN.test(good)).toBe(true);
    for (const bad of ["1.0", "01.0.0", "1.0.0-beta", "v1.0.0", "1.0.0 ", "1.0.0.0", "9999999.0.0"]) expect(VERSION_PATTERN.test(bad)).toBe(false);
  });
});
