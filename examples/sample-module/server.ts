// A sample Block on Block module: a tiny Bun server that serves the module's page (shown in a sandboxed frame in a
// workspace tab) and forwards its calls to the platform's module API with the short-lived token the page got over
// the bridge. No dependencies. Run: PLATFORM_ORIGIN=http://localhost:3000 bun examples/sample-module/server.ts
//
//   PORT              where this server listens (default 4000)
//   PLATFORM_ORIGIN   the Block on Block address this module is shown in (messages from anywhere else are ignored)
//   WEBHOOK_SECRET    the whsec_… secret the developer portal shows; webhooks with a wrong signature are refused
import { join } from "node:path";

const PORT = Number(process.env.PORT ?? 4000);
const PLATFORM = (process.env.PLATFORM_ORIGIN ?? "http://localhost:3000").replace(/\/+$/, "");
const WEBHOOK_SECRET = process.env.WEBHOOK_SECRET ?? "";
const PUBLIC = join(import.meta.dir, "public");

/** The webhooks this server accepted, newest last (GET /hooks/received shows them: handy while developing). */
const received: unknown[] = [];

// The page runs in a sandboxed frame, so its origin is opaque ("null"): its calls to this server are cross-origin.
// They carry the token in a header, never a cookie, so any origin may make them.
const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "authorization, content-type", "access-control-allow-methods": "GET, POST" };

async function forward(request: Request, path: string, method: "GET" | "POST"): Promise<Response> {
  const auth = request.headers.get("authorization") ?? "";
  const answer = await fetch(`${PLATFORM}/api/module-runtime${path}`, {
    method,
    headers: { authorization: auth, ...(method === "POST" ? { "content-type": "application/json" } : {}) },
    body: method === "POST" ? await request.text() : undefined,
  });
  return new Response(await answer.text(), { status: answer.status, headers: { "content-type": "application/json", ...cors } });
}

async function verified(request: Request): Promise<string | null> {
  const body = await request.text();
  const header = request.headers.get("bob-signature") ?? "";
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!WEBHOOK_SECRET || !match) return null;
  if (Math.abs(Date.now() / 1000 - Number(match[1])) > 300) return null;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(WEBHOOK_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const mac = Uint8Array.from(match[2]!.match(/../g)!.map((h) => parseInt(h, 16)));
  return (await crypto.subtle.verify("HMAC", key, mac, new TextEncoder().encode(`${match[1]}.${body}`))) ? body : null;
}

const server = Bun.serve({
  port: PORT,
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    if (url.pathname === "/app") {
      const html = (await Bun.file(join(PUBLIC, "app.html")).text()).replace("%PLATFORM%", PLATFORM);
      // Only the platform may frame this page; scripts only from here.
      return new Response(html, { headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": `frame-ancestors ${PLATFORM}; script-src ${url.origin}; default-src ${url.origin}` } });
    }
    if (url.pathname === "/app.js") return new Response(Bun.file(join(PUBLIC, "app.js")), { headers: { "content-type": "text/javascript" } });
    if (url.pathname === "/api/context" && request.method === "GET") return forward(request, "/context", "GET");
    if (url.pathname === "/api/events" && request.method === "POST") return forward(request, "/calendar/events", "POST");
    if (url.pathname === "/api/notify" && request.method === "POST") return forward(request, "/notifications", "POST");
    if (url.pathname === "/hooks" && request.method === "POST") {
      const body = await verified(request);
      if (body === null) return new Response("bad signature", { status: 401 });
      received.push(JSON.parse(body));
      return new Response("ok");
    }
    if (url.pathname === "/hooks/received") return Response.json(received);
    return new Response("not found", { status: 404 });
  },
});

console.log(`sample module on http://localhost:${server.port}/app, shown in ${PLATFORM}`);
