// Gives the benchmark's business some members, so the members tab and the user search have rows.
//
//   bun bench/seed-members.ts <app-url> <database-url> <business-id> <count>
//
// Registers <count> users through the running server's JSON API (POST /api/auth/register; the bench
// server runs with RATE_LIMIT=off), then adds them to the business as role 'member'. There is no
// JSON route that adds a member directly (invitations need the invitee to accept from a mailed link),
// so the memberships are inserted straight into business_members through @libsql/client on the same
// database file. The server keeps it in WAL mode, so this second writer only needs a busy timeout.
// Prints the number of members the business has afterwards.
import { createClient } from "@libsql/client";

const [appUrl, databaseUrl, businessId, countText] = process.argv.slice(2);
if (!appUrl || !databaseUrl?.startsWith("file:") || !businessId || !/^[1-9]\d*$/.test(countText ?? "")) {
  console.error("usage: bun bench/seed-members.ts <app-url> <file:database> <business-id> <count>");
  process.exit(2);
}
const count = Number(countText);
const tag = `${process.pid}-${Date.now().toString(36)}`;
const password = `violet tuba quarry ${crypto.randomUUID()}`;

async function register(i: number): Promise<string> {
  const n = String(i + 1).padStart(3, "0");
  const response = await fetch(`${appUrl}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: appUrl! },
    body: JSON.stringify({ acceptTerms: true, email: `bench-user-${n}-${tag}@example.com`, password, name: `Bench User ${n}` }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`register #${n} answered ${response.status}: ${text}`);
  const id = (JSON.parse(text) as { user?: { id?: unknown } }).user?.id;
  if (typeof id !== "string") throw new Error(`register #${n} gave no user id: ${text}`);
  return id;
}

// A few at a time: password hashing makes each registration take a while.
const ids: string[] = new Array(count);
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(4, count) }, async () => {
    while (next < count) {
      const i = next++;
      ids[i] = await register(i);
    }
  }),
);

const client = createClient({ url: databaseUrl });
try {
  await client.execute("PRAGMA busy_timeout = 5000");
  await client.execute("PRAGMA foreign_keys = ON");
  const joinedAt = Date.now();
  await client.batch(
    ids.map((userId, i) => ({
      sql: "insert into business_members (business_id, user_id, role, joined_at) values (?, ?, 'member', ?)",
      args: [businessId, userId, joinedAt + i],
    })),
    "write",
  );
  const result = await client.execute({ sql: "select count(*) as n from business_members where business_id = ?", args: [businessId] });
  console.log(Number(result.rows[0]!.n));
} finally {
  client.close();
}
