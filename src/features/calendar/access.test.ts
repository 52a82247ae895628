import { describe, expect, test } from "bun:test";
import { accessFor, eventDetail, mayCreateCalendarIn, shareRefusal, type CalendarFacts } from "./access";

const personal: CalendarFacts = { contextType: "personal", ownerId: "ada", memberAccess: "default" };
const business = (memberAccess: CalendarFacts["memberAccess"] = "default"): CalendarFacts => ({ contextType: "business", ownerId: null, memberAccess });
const household = (memberAccess: CalendarFacts["memberAccess"] = "default"): CalendarFacts => ({ contextType: "household", ownerId: null, memberAccess });

describe("accessFor", () => {
  test("a personal calendar: its owner manages it; others see it only through a share", () => {
    expect(accessFor(personal, { userId: "ada" })).toBe("manage");
    expect(accessFor(personal, { userId: "bob" })).toBe("none");
    expect(accessFor(personal, { userId: "bob", share: "freebusy" })).toBe("freebusy");
    expect(accessFor(personal, { userId: "bob", share: "write" })).toBe("write");
  });

  test("a business: owners, admins and managers manage; members read, or what member access says; a share raises it", () => {
    for (const role of ["owner", "admin", "manager"] as const) expect(accessFor(business("none"), { userId: "x", businessRole: role })).toBe("manage");
    expect(accessFor(business(), { userId: "x", businessRole: "member" })).toBe("read");
    expect(accessFor(business("freebusy"), { userId: "x", businessRole: "member" })).toBe("freebusy");
    expect(accessFor(business("none"), { userId: "x", businessRole: "member" })).toBe("none");
    expect(accessFor(business("none"), { userId: "x", businessRole: "member", share: "write" })).toBe("write");
    expect(accessFor(business(), { userId: "x", businessRole: "member", share: "freebusy" })).toBe("read");
    // Outside the business (or with its calendar module hidden) a share counts for nothing.
    expect(accessFor(business(), { userId: "x", businessRole: null, share: "write" })).toBe("none");
  });

  test("a household: owners and adults manage; teens and children read at most, share or not", () => {
    expect(accessFor(household(), { userId: "x", householdRole: "owner" })).toBe("manage");
    expect(accessFor(household(), { userId: "x", householdRole: "adult" })).toBe("manage");
    for (const role of ["teen", "child"] as const) {
      expect(accessFor(household(), { userId: "x", householdRole: role })).toBe("read");
      expect(accessFor(household(), { userId: "x", householdRole: role, share: "write" })).toBe("read");
      expect(accessFor(household("none"), { userId: "x", householdRole: role })).toBe("none");
      expect(accessFor(household("none"), { userId: "x", householdRole: role, share: "freebusy" })).toBe("freebusy");
    }
    expect(accessFor(household(), { userId: "x", householdRole: null, share: "read" })).toBe("none");
  });

  test("who may add calendars, and to whom a share may go", () => {
    expect(mayCreateCalendarIn("personal", { userId: "x" })).toBe(true);
    expect(mayCreateCalendarIn("business", { userId: "x", businessRole: "manager" })).toBe(true);
    expect(mayCreateCalendarIn("business", { userId: "x", businessRole: "member" })).toBe(false);
    expect(mayCreateCalendarIn("household", { userId: "x", householdRole: "child" })).toBe(false);
    expect(shareRefusal(business(), { userId: "y", businessRole: null }, "read")).toContain("members only");
    expect(shareRefusal(household(), { userId: "y", householdRole: "teen" }, "write")).toContain("Teens and children");
    expect(shareRefusal(household(), { userId: "y", householdRole: "teen" }, "read")).toBeNull();
  });
});

describe("eventDetail", () => {
  const event = (visibility: "default" | "private", createdBy = "ada", attendeeIds: string[] = []) => ({ visibility, createdBy, attendeeIds });
  test("private events are busy blocks for everyone but their maker, attendees and the personal calendar's owner", () => {
    expect(eventDetail("read", event("default"), "bob", business())).toBe("full");
    expect(eventDetail("write", event("private"), "bob", business())).toBe("busy");
    expect(eventDetail("read", event("private", "ada", ["bob"]), "bob", business())).toBe("full");
    expect(eventDetail("manage", event("private", "bob"), "ada", personal)).toBe("full");
    expect(eventDetail("read", event("private", "ada"), "ada", business())).toBe("full");
  });
  test("free/busy access sees busy blocks only; no access sees nothing", () => {
    expect(eventDetail("freebusy", event("default"), "bob", business())).toBe("busy");
    expect(eventDetail("none", event("default"), "bob", business())).toBe("none");
  });
});
