// Gives 20 members of the benchmark's business a busy March 2027 for the free/busy and availability targets: 30
// events each in the business calendar with that member invited (their busy time), through the running server's
// JSON API as the business owner. Prints the member ids, comma-separated (the first 20).
//
//   bun bench/seed-availability.ts <app-url> <bearer-token> <business-id>
import { apiClient } from "./client";
const [appUrl, token, businessId] = process.argv.slice(2);
if (!appUrl || !token || !businessId) {
  console.error("usage: bun bench/seed-availability.ts <app-url> <bearer-token> <business-id>");
  process.exit(2);
}

const call = apiClient(appUrl, token);

const me = (await call("GET", "/api/auth/me")).user.id as string;
const members = ((await call("GET", `/api/businesses/${businessId}/members`)).members as { userId: string }[]).map((m) => m.userId).filter((id) => id !== me).slice(0, 20);
if (members.length < 20) throw new Error(`the business has ${members.length} members besides its owner; the bench needs 20`);
const calendar = ((await call("GET", "/api/calendars")).calendars as { id: string; contextId: string; isPrimary: boolean }[]).find((c) => c.contextId === businessId && c.isPrimary)!.id;
const pad = (n: number) => String(n).padStart(2, "0");
const bodies = members.flatMap((userId, m) =>
  Array.from({ length: 30 }, (_, i) => {
    const day = pad(1 + ((i + m) % 28));
    const hour = 8 + ((i * 3 + m) % 9);
    return { title: `Busy ${m}-${i}`, start: `2027-03-${day}T${pad(hour)}:00`, end: `2027-03-${day}T${pad(hour)}:${i % 2 ? "30" : "59"}`, timeZone: ["Europe/Berlin", "America/New_York", "Asia/Kolkata"][m % 3], attendees: [userId] };
  }),
);
let next = 0;
await Promise.all(
  Array.from({ length: 4 }, async () => {
    while (next < bodies.length) await call("POST", `/api/calendars/${calendar}/events`, bodies[next++]);
  }),
);
console.log(members.join(","));
