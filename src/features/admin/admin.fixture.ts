// Shared bits for the admin portal's suites: the htmx header, accounts put straight in the users
// table, and the row ids a page shows. Apps and signed-in browsers come from src/test/app.ts.
import { newId } from "../../lib/crypto";
import type { TestApp } from "../../test/app";
import { users } from "../auth";

export const htmx = { "hx-request": "true" };

/** An account without a password (it cannot sign in), for lists and searches. */
export async function seedUser(t: TestApp, fields: { name: string; email: string; createdAt?: number; isPlatformAdmin?: boolean }) {
  const now = fields.createdAt ?? t.deps.now();
  const row = {
    id: newId(),
    name: fields.name,
    email: fields.email,
    passwordHash: null,
    emailVerified: false,
    isPlatformAdmin: fields.isPlatformAdmin ?? false,
    disabledAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await t.deps.db.insert(users).values(row);
  return row;
}

/** The values of `data-<name>="…"` attributes in page order. */
export function dataIds(html: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`data-${name}="([^"]+)"`, "g"))].map((m) => m[1]!);
}
