// Test support for the admin portal's suites: signed-in browsers and rows put straight in the tables.
import { expect } from "bun:test";
import { newId } from "../../lib/crypto";
import { Browser, strongPassword, type TestApp } from "../../test/app";
import { users } from "../auth";

export const htmx = { "hx-request": "true" };

/** A browser signed in through the sign-in form. */
export async function signIn(t: TestApp, email: string) {
  const browser = new Browser(t.app);
  const response = await browser.request("/login", { method: "POST", form: { email, password: strongPassword } });
  expect(response.status).toBe(303);
  return browser;
}

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
