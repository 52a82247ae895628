// `npm run secrets:rotate`: after putting a new key first in SECRET_KEYS (keeping the old ones after
// it), re-seals every stored secret with the new key. Then the old keys can be removed.
import { parseConfig } from "../config";
import { openDatabase } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { resealAll } from "../sealed-columns";

const config = parseConfig(process.env);
const { db, client } = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
await migrateDatabase(db);
const resealed = await resealAll(db, config.secretKeys);
client.close();
console.log(`${resealed} secret(s) re-sealed with key ${config.secretKeys[0]!.id}; keys other than it can now leave SECRET_KEYS.`);
