// Shared bits for the admin portal's suites: the htmx header, accounts put straight in the users
// table, the row ids a page shows, and a suite's app opened once. Apps and signed-in browsers
// come from src/test/app.ts.
import { afterAll, beforeAll } from "bun:test";
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

/**
 * A suite's app, opened before the file's tests and closed after. The answer reads the opened
 * values (and the `helpers`, which get them through `opened()`) inside tests; read before the
 * beforeAll has run, it throws instead of giving undefined.
 */
export function useOpenedApp<T extends { t: TestApp }, H extends object>(open: () => Promise<T>, helpers: (opened: () => T) => H): T & H {
  let value: T | null = null;
  const opened = () => {
    if (!value) throw new Error("The suite's app opens in beforeAll; read its fields inside tests.");
    return value;
  };
  beforeAll(async () => {
    value = await open();
  });
  afterAll(() => value?.t.close());
  const own = helpers(opened);
  return new Proxy(own as T & H, {
    get: (_, key) => (key in own ? own[key as keyof H] : opened()[key as keyof T]),
  });
}
