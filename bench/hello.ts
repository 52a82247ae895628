// The baseline: a bare Bun.serve hello world, no Hono, no database. `PORT=<p> bun bench/hello.ts`.
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT ?? 0),
  fetch: () => new Response("Hello, world!", { headers: { "content-type": "text/plain;charset=utf-8" } }),
});
console.log(`hello listening on ${server.port}`);
process.on("SIGTERM", () => {
  server.stop(true);
  process.exit(0);
});

export {};
