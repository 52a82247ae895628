// The fake Stripe (tests/stripe-fake) as a process of its own, for benches: `PORT=<p> bun bench/stripe-fake-server.ts`.
import { stripeFake } from "../tests/stripe-fake/app";

const fake = stripeFake();
const server = Bun.serve({ hostname: "127.0.0.1", port: Number(process.env.PORT ?? 0), fetch: fake.app.fetch });
console.log(`stripe fake listening on ${server.port}`);
process.on("SIGTERM", () => {
  server.stop(true);
  process.exit(0);
});
