// Gives the bench user a marketplace module installed in the bench business, through the running server's JSON API
// (the user made a platform admin in the database file to approve it), and prints a module token for it — what the
// module API target sends. The token lives five minutes: longer than the target runs.
//
//   bun bench/seed-module.ts <app-url> <bearer-token> <database-url> <business-id>
import { createClient } from "@libsql/client";
import { apiClient } from "./client";
const [appUrl, token, databaseUrl, businessId] = process.argv.slice(2);
if (!appUrl || !token || !databaseUrl || !businessId) {
  console.error("usage: bun bench/seed-module.ts <app-url> <bearer-token> <database-url> <business-id>");
  process.exit(2);
}

const call = apiClient(appUrl, token);
const me = (await call("GET", "/api/auth/me")).user.id as string;
const db = createClient({ url: databaseUrl });
await db.execute({ sql: "update users set is_platform_admin = 1 where id = ?", args: [me] });
db.close();
await call("POST", "/api/developer");
const { module } = await call("POST", "/api/developer/modules", { slug: "bench-module", name: "Bench Module", description: "For the module API target.", category: "other", contexts: ["business"] });
const scopes = ["profile.read", "context.read", "members.read"];
await call("POST", `/api/developer/modules/${module.id}/versions`, { version: "1.0.0", manifest: { entryUrl: "https://bench-module.example.com/app", scopes } });
await call("POST", `/api/admin/modules/${module.id}/versions/1.0.0/approve`);
await call("POST", `/api/modules/${module.id}/installs`, { context: `business:${businessId}`, scopes });
console.log((await call("POST", `/api/modules/${module.id}/token`, { context: `business:${businessId}` })).token);
