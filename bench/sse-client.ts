// One load client of bench/sse-fanout.ts: holds many event streams open over raw TCP sockets to
// 127.0.0.1 and notes when each `chat.message` event arrives on each of them. Driven by its parent
// over IPC (Bun.spawn's `ipc`); not meant to be run by hand.
//
//   → {op:"open", port, path, tokens: string[]}    opens one stream per token (a token may repeat)
//   ← {op:"opened", open, failed, errors: string[]}
//   → {op:"report", messageId}                     what has arrived so far for that message
//   ← {op:"arrived", messageId, times: number[], complete}   sent by itself once every stream has it
//   → {op:"close"}                                  drops every stream
//   ← {op:"closed"}
//
// Times are wall-clock milliseconds with a fraction (performance.timeOrigin + performance.now()),
// the same clock in every process of the machine, so the parent can subtract the moment it sent the POST.
import type { Socket } from "bun";

interface Stream {
  socket: Socket<Stream> | null;
  head: boolean;
  status: number;
  buffer: string;
  ended: boolean;
  opened: (result: string | null) => void;
}

const now = () => performance.timeOrigin + performance.now();
const CHAT_MESSAGE = /"type":"chat\.message","payload":\{[^}]*"messageId":"([A-Za-z0-9_-]+)"/g;

let streams: Stream[] = [];
/** messageId → arrival times, one per stream that has it. */
const arrivals = new Map<string, number[]>();
const reported = new Set<string>();

function arrived(messageId: string, at: number) {
  let times = arrivals.get(messageId);
  if (!times) arrivals.set(messageId, (times = []));
  times.push(at);
  if (times.length === streams.length && !reported.has(messageId)) {
    reported.add(messageId);
    process.send!({ op: "arrived", messageId, times, complete: true });
  }
}

function onData(stream: Stream, chunk: Buffer) {
  const at = now();
  stream.buffer += chunk.toString("utf8");
  if (!stream.head) {
    const end = stream.buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    stream.head = true;
    stream.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(stream.buffer)?.[1] ?? 0);
    if (stream.status !== 200) {
      stream.opened(`status ${stream.status}: ${stream.buffer.slice(end + 4, end + 300)}`);
      stream.socket?.end();
      return;
    }
    stream.opened(null);
    stream.buffer = stream.buffer.slice(end + 4);
  }
  // Only whole SSE messages (they end with a blank line); the rest waits for the next chunk.
  const last = stream.buffer.lastIndexOf("\n\n");
  if (last < 0) return;
  const whole = stream.buffer.slice(0, last);
  stream.buffer = stream.buffer.slice(last + 2);
  for (const match of whole.matchAll(CHAT_MESSAGE)) arrived(match[1]!, at);
}

async function openOne(port: number, path: string, token: string): Promise<Stream> {
  const stream: Stream = { socket: null, head: false, status: 0, buffer: "", ended: false, opened: () => {} };
  const result = new Promise<string | null>((resolve) => (stream.opened = resolve));
  try {
    stream.socket = await Bun.connect<Stream>({
      hostname: "127.0.0.1",
      port,
      data: stream,
      socket: {
        data: (socket, chunk) => onData(socket.data, chunk),
        close: (socket) => {
          socket.data.ended = true;
          socket.data.opened("closed before the answer");
        },
        error: (socket, error) => {
          socket.data.ended = true;
          socket.data.opened(String(error));
        },
      },
    });
  } catch (error) {
    stream.opened(String(error));
    stream.ended = true;
    return Object.assign(stream, { error: await result });
  }
  stream.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`);
  const error = await Promise.race([result, Bun.sleep(30_000).then(() => "no answer within 30 s")]);
  return Object.assign(stream, { error });
}

process.on("message", async (message: { op: string; port?: number; path?: string; tokens?: string[]; messageId?: string }) => {
  if (message.op === "open") {
    const opened: (Stream & { error: string | null })[] = [];
    const tokens = message.tokens!;
    let next = 0;
    // A few at a time, like browsers arriving, so the listen backlog never overflows.
    await Promise.all(
      Array.from({ length: Math.min(25, tokens.length) }, async () => {
        while (next < tokens.length) {
          const token = tokens[next++]!;
          opened.push((await openOne(message.port!, message.path!, token)) as Stream & { error: string | null });
        }
      }),
    );
    const failed = opened.filter((stream) => stream.error !== null);
    for (const stream of failed) stream.socket?.end();
    streams = opened.filter((stream) => stream.error === null);
    process.send!({ op: "opened", open: streams.length, failed: failed.length, errors: [...new Set(failed.map((stream) => stream.error))].slice(0, 5) });
  } else if (message.op === "report") {
    const id = message.messageId!;
    if (!reported.has(id)) {
      reported.add(id);
      process.send!({ op: "arrived", messageId: id, times: arrivals.get(id) ?? [], complete: (arrivals.get(id)?.length ?? 0) === streams.length });
    }
  } else if (message.op === "close") {
    const dropped = streams.filter((stream) => stream.ended).length;
    for (const stream of streams) stream.socket?.end();
    streams = [];
    arrivals.clear();
    reported.clear();
    process.send!({ op: "closed", endedEarly: dropped });
  } else if (message.op === "exit") {
    process.exit(0);
  }
});
process.send!({ op: "ready" });
