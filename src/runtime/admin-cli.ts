// `npm run admin:create -- <email> <name>`: makes a verified platform admin, or promotes the verified
// account with that address. The password of a new account comes from ADMIN_PASSWORD or the first
// line on stdin (never a command-line argument, which other users of the machine can read).
import { parseConfig } from "../config";
import { createPlatformAdmin } from "../features/auth";
import { AppError } from "../lib/errors";
import { buildBunDeps } from "./bun";

const [email, ...nameParts] = process.argv.slice(2);
if (!email || nameParts.length === 0) {
  console.error("usage: npm run admin:create -- <email> <name>   (password: ADMIN_PASSWORD or stdin)");
  process.exit(2);
}
const config = parseConfig(process.env);
const deps = await buildBunDeps(config);
let password = process.env.ADMIN_PASSWORD ?? null;
if (password === null && !process.stdin.isTTY) {
  const line = (await new Response(Bun.stdin.stream()).text()).split("\n")[0] ?? "";
  password = line.length > 0 ? line : null;
}
try {
  const { user, created } = await createPlatformAdmin(
    deps,
    { email: email.trim().toLowerCase(), name: nameParts.join(" ").trim(), password },
    { ipAddress: "command line", userAgent: "npm run admin:create", requestId: "admin-cli" },
  );
  console.log(created ? `created platform admin ${user.email} (${user.blockId})` : `${user.email} is now a platform admin`);
} catch (error) {
  if (!(error instanceof AppError)) throw error;
  const fields = Object.entries(error.fieldErrors).map(([field, messages]) => `  ${field}: ${messages.join(" ")}`);
  console.error([error.message, ...fields].join("\n"));
  process.exitCode = 1;
} finally {
  deps.close();
}
