// Prints a TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it).
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
const port = server.port;
server.stop(true);
console.log(port);

export {};
