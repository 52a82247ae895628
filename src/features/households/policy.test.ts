import { describe, expect, test } from "bun:test";
import { mayManageMembers, mayWriteShared } from "./policy";
import { HOUSEHOLD_ROLES } from "./schema";

describe("household policy", () => {
  test("teens and children read shared household data but never change it", () => {
    const writers = HOUSEHOLD_ROLES.filter(mayWriteShared);
    expect(writers).toEqual(["owner", "adult"]);
    expect(HOUSEHOLD_ROLES.filter(mayManageMembers)).toEqual(["owner", "adult"]);
  });
});
