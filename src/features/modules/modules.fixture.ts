// Shared bits of the modules' suites: a platform admin (made first: on a new instance the first account is one
// anyway) and JSON posts as a person.
import { eq } from "drizzle-orm";
import type { TestApp } from "../../test/app";
import { api, person, type Person } from "../../test/people";
import { users } from "../auth";

export async function platformAdmin(t: TestApp, name = "Adam Admin"): Promise<Person> {
  const admin = await person(t, name);
  await t.deps.db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, admin.id));
  return admin;
}

/** POST `body` (default `{}`) as JSON to `path` as `who`. */
export const poster = (t: () => TestApp) => (who: Person, path: string, body?: unknown) => api(t(), who, path, { method: "POST", json: body ?? {} });
