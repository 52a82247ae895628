// Roles fail closed: a role the code does not know ranks lowest in the code, and the database
// refuses to store one at all (business members, household members, invitations).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../test/app";
import { api, business, household, person, type Person } from "../../test/people";
import { hasRole, roleRank } from "./access";

describe("roles unknown to the code", () => {
  test("rank below member and pass no check", () => {
    for (const role of ["superuser", "OWNER", "", "owner ", "__proto__", "constructor"]) {
      expect(roleRank(role)).toBe(0);
      expect(hasRole({ role: role as never }, "member")).toBe(false);
    }
    expect(roleRank("owner")).toBeGreaterThan(roleRank("admin"));
    expect(roleRank("member")).toBeGreaterThan(0);
  });
});

describe("the database checks role values", () => {
  let t: TestApp;
  let owner: Person;
  let stranger: Person;
  let businessId: string;
  let householdId: string;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await person(t, "Owner");
    stranger = await person(t, "Stranger");
    businessId = await business(t, owner);
    householdId = await household(t, owner);
  });
  afterAll(() => t.close());

  const refused = async (statement: ReturnType<typeof sql>) => {
    let error: unknown = null;
    try {
      await t.deps.db.run(statement);
    } catch (caught) {
      error = caught;
    }
    expect(String((error as { cause?: unknown })?.cause ?? error)).toContain("CHECK constraint failed");
  };

  test("a business member, a household member or an invitation with an unknown role cannot be stored", async () => {
    await refused(sql`insert into business_members (business_id, user_id, role, joined_at) values (${businessId}, ${stranger.id}, 'superuser', 0)`);
    await refused(sql`insert into household_members (household_id, user_id, role, joined_at) values (${householdId}, ${stranger.id}, 'admin', 0)`);
    await refused(sql`update business_members set role = 'god' where business_id = ${businessId}`);
    // An invitation's role must belong to its kind of place: no household role for a business.
    await refused(
      sql`insert into invitations (id, business_id, email, role, token_hash, status, created_at, expires_at) values ('i1', ${businessId}, 'x@example.com', 'adult', 'h1', 'pending', 0, 1)`,
    );
    await refused(
      sql`insert into invitations (id, household_id, email, role, token_hash, status, created_at, expires_at) values ('i2', ${householdId}, 'x@example.com', 'manager', 'h2', 'pending', 0, 1)`,
    );
    // Nothing changed: the owner is still the owner and the stranger still a stranger.
    expect((await api(t, owner, `/api/businesses/${businessId}`)).status).toBe(200);
    expect((await api(t, stranger, `/api/businesses/${businessId}`)).status).toBe(404);
  });
});
