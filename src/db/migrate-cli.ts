// `npm run db:migrate`: applies migrations to DATABASE_URL and exits.
import { mkdirSync } from "node:fs";
import { parseConfig } from "../config";
import { openDatabase } from "./client";
import { migrateDatabase } from "./migrate";

const config = parseConfig(process.env);
if (config.DATABASE_URL.startsWith("file:data/")) mkdirSync("data", { recursive: true });
const { db, client } = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
await migrateDatabase(db, config.DEFAULT_COUNTRY);
client.close();
console.log(`migrations and reference data applied to ${config.DATABASE_URL.replace(/\/\/[^@/]*@/, "//***@")}`);
