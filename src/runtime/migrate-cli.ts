// `npm run db:migrate`: applies migrations and reference data to DATABASE_URL and exits.
import { mkdirSync } from "node:fs";
import { parseConfig } from "../config";
import { openDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { seedDatabase } from "../seed";

const config = parseConfig(process.env);
if (config.DATABASE_URL.startsWith("file:data/")) mkdirSync("data", { recursive: true });
const { db, client } = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
await migrateDatabase(db);
await seedDatabase(db, config.DEFAULT_COUNTRY);
client.close();
console.log(`migrations and reference data applied to ${config.DATABASE_URL.replace(/\/\/[^@/]*@/, "//***@")}`);
