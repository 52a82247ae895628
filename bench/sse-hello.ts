// The SSE baseline: a bare Bun.serve fan-out, no Hono, no database, no sign-in. `PORT=<p> bun bench/sse-hello.ts`.
// GET /api/events holds a stream open; POST /publish writes one `chat.message`-shaped event, the
// same JSON the app sends, to every open stream and answers with its id.
const encoder = new TextEncoder();
const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
let nextId = 0;

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT ?? 0),
  idleTimeout: 120,
  fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/api/events") {
      let mine: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          mine = controller;
          streams.add(controller);
          controller.enqueue(encoder.encode("retry: 1000\n\n"));
        },
        cancel() {
          streams.delete(mine);
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
    }
    if (url.pathname === "/publish" && request.method === "POST") {
      const id = ++nextId;
      const messageId = `m${id}-${crypto.randomUUID()}`;
      const event = { id, channel: "conversation:bench", type: "chat.message", payload: { conversationId: "bench", messageId, seq: id }, at: Date.now() };
      const bytes = encoder.encode(`id: ${id}\ndata: ${JSON.stringify(event)}\n\n`);
      for (const controller of streams) {
        try {
          controller.enqueue(bytes);
        } catch {
          streams.delete(controller);
        }
      }
      return Response.json({ message: { id: messageId } }, { status: 201 });
    }
    if (url.pathname === "/health") return Response.json({ ok: true });
    return new Response("Not found", { status: 404 });
  },
});
console.log(`sse-hello listening on ${server.port}`);
process.on("SIGTERM", () => {
  server.stop(true);
  process.exit(0);
});

export {};
