import { describe, expect, test } from "bun:test";
import { admitsToChannel, directKey, groupMemberErrors, isEmoji, mayCreateChannel, mayManage, mayModerate, mayPost, mayRead, type Standing } from "./chat-rules";

const open = { allowedRoles: [] as string[], allowedDepartments: [] as string[], allowedPositions: [] as string[] };
const bizChannel = { kind: "channel" as const, contextType: "business" as const, archivedAt: null, ...open };
const homeChannel = { kind: "channel" as const, contextType: "household" as const, archivedAt: null, ...open };
const group = { kind: "group" as const, contextType: null, archivedAt: null, ...open };
const who = (over: Partial<Standing> = {}): Standing => ({ userId: "u", isMember: false, business: null, household: null, ...over });
const member = (role = "member", departmentId: string | null = null, positionId: string | null = null) => ({ role, departmentId, positionId });

describe("reading", () => {
  test("groups and direct conversations: members only", () => {
    expect(mayRead(group, who({ isMember: true }))).toBe(true);
    expect(mayRead(group, who({ business: member("owner") }))).toBe(false);
  });
  test("business channels follow the module rules; admins and owners read every channel", () => {
    const teachers = { ...bizChannel, allowedDepartments: ["d1"] };
    expect(mayRead(teachers, who({ business: member("member", "d1") }))).toBe(true);
    expect(mayRead(teachers, who({ business: member("member", "d2") }))).toBe(false);
    expect(mayRead(teachers, who({ business: member("member") }))).toBe(false);
    expect(mayRead(teachers, who({ business: member("admin") }))).toBe(true);
    expect(mayRead({ ...bizChannel, allowedRoles: ["manager"] }, who({ business: member("member") }))).toBe(false);
    expect(mayRead(bizChannel, who())).toBe(false);
    expect(admitsToChannel({ ...open, allowedPositions: ["p"] }, member("member", null, "p"))).toBe(true);
  });
  test("household channels: every member of the household", () => {
    expect(mayRead(homeChannel, who({ household: { role: "child", childrenMayPost: false } }))).toBe(true);
    expect(mayRead(homeChannel, who({ business: member("owner") }))).toBe(false);
  });
});

describe("posting", () => {
  test("children read but post only when the household allows it; teens post", () => {
    expect(mayPost(homeChannel, who({ household: { role: "child", childrenMayPost: false } }))).toBe("read_only");
    expect(mayPost(homeChannel, who({ household: { role: "child", childrenMayPost: true } }))).toBeNull();
    expect(mayPost(homeChannel, who({ household: { role: "teen", childrenMayPost: false } }))).toBeNull();
  });
  test("archived conversations are read-only; a stranger is told nothing more than not found", () => {
    expect(mayPost({ ...group, archivedAt: 1 }, who({ isMember: true }))).toBe("archived");
    expect(mayPost({ ...group, archivedAt: 1 }, who())).toBe("not_found");
  });
});

describe("managing", () => {
  test("groups by their members, business channels by admins, household channels by owners and adults, direct by nobody", () => {
    expect(mayManage(group, who({ isMember: true }))).toBe(true);
    expect(mayManage({ kind: "direct", contextType: null }, who({ isMember: true }))).toBe(false);
    expect(mayManage(bizChannel, who({ business: member("manager") }))).toBe(false);
    expect(mayManage(bizChannel, who({ business: member("admin") }))).toBe(true);
    expect(mayManage(homeChannel, who({ household: { role: "adult", childrenMayPost: false } }))).toBe(true);
    expect(mayManage(homeChannel, who({ household: { role: "teen", childrenMayPost: false } }))).toBe(false);
    expect(mayModerate(bizChannel, who({ business: member("owner") }))).toBe(true);
    expect(mayModerate(group, who({ isMember: true, business: member("owner") }))).toBe(false);
    expect(mayCreateChannel({ business: member("member") })).toBe(false);
    expect(mayCreateChannel({ household: { role: "owner", childrenMayPost: false } })).toBe(true);
  });
});

test("group members: only people who share a context, at most 50", () => {
  expect(groupMemberErrors(new Set(["a"]), ["b"], new Set(["b"]))).toEqual([]);
  expect(groupMemberErrors(new Set(["a"]), ["x", "y"], new Set())).toEqual(["2 people do not share a business or household with you."]);
  const many = Array.from({ length: 50 }, (_, i) => `u${i}`);
  expect(groupMemberErrors(new Set(["a"]), many, new Set(many))[0]).toContain("at most 50");
});

test("direct keys do not depend on who starts", () => {
  expect(directKey("b", "a")).toBe(directKey("a", "b"));
});

test("reactions are one emoji", () => {
  for (const ok of ["👍", "❤️", "👍🏽", "👨‍👩‍👧", "🇬🇧", "🎉"]) expect(isEmoji(ok)).toBe(true);
  for (const bad of ["", "a", "👍👍", "<b>", "1", "👍 ", "x".repeat(40)]) expect(isEmoji(bad)).toBe(false);
});
