// Reads a text/event-stream response the way EventSource does: comments skipped, `event:`, `data:`
// (joined by newlines), `id:` and `retry:` per message. For tests of the live streams.
export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = "";
  private readonly pending: SseMessage[] = [];
  /** The last `id:` seen, as a browser would send it in Last-Event-ID. */
  lastEventId: string | null = null;
  retry: number | null = null;
  comments = 0;
  ended = false;

  constructor(readonly response: Response) {
    if (!response.body) throw new Error("no body");
    this.reader = response.body.getReader();
  }

  /** The next message, or null when the stream ended or nothing came within `timeoutMs`. */
  async next(timeoutMs = 5000): Promise<SseMessage | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.length === 0) {
      if (this.ended) return null;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), left)));
      const chunk = await Promise.race([this.read(), timeout]);
      clearTimeout(timer);
      // On a timeout the read still runs; what it brings is parsed and kept for the next call.
      if (chunk === "timeout") return null;
    }
    return this.pending.shift()!;
  }

  /** Messages until one matches (inclusive); throws when the stream ends or goes quiet first. */
  async until(match: (message: SseMessage) => boolean, timeoutMs = 5000): Promise<SseMessage[]> {
    const seen: SseMessage[] = [];
    for (;;) {
      const message = await this.next(timeoutMs);
      if (!message) throw new Error(`no matching event; saw ${JSON.stringify(seen)}`);
      seen.push(message);
      if (match(message)) return seen;
    }
  }

  /** Everything that arrives within `ms` (for "nothing else came" checks). */
  async drain(ms: number): Promise<SseMessage[]> {
    const seen: SseMessage[] = [];
    const deadline = Date.now() + ms;
    for (;;) {
      const message = await this.next(Math.max(1, deadline - Date.now()));
      if (!message) return seen;
      seen.push(message);
    }
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => {});
  }

  private readAhead: Promise<void> | null = null;

  private read(): Promise<void> {
    this.readAhead ??= this.reader.read().then(({ done, value }) => {
      this.readAhead = null;
      if (done) {
        this.ended = true;
        return;
      }
      this.buffer += this.decoder.decode(value, { stream: true });
      this.parse();
    });
    return this.readAhead;
  }

  private parse() {
    for (let end = this.buffer.search(/\r?\n\r?\n/); end !== -1; end = this.buffer.search(/\r?\n\r?\n/)) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end).replace(/^\r?\n\r?\n/, "");
      let event = "message";
      const data: string[] = [];
      let id: string | null = null;
      let hasData = false;
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(":")) {
          this.comments++;
          continue;
        }
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = value;
        else if (field === "data") {
          data.push(value);
          hasData = true;
        } else if (field === "id") id = value;
        else if (field === "retry") this.retry = Number(value);
      }
      if (id !== null) this.lastEventId = id;
      if (hasData) this.pending.push({ event, data: data.join("\n"), id });
    }
  }
}

/** The JSON payloads of /api/events messages. */
export function jsonEvents(messages: SseMessage[]): Array<{ id: number; channel: string; type: string; payload: Record<string, unknown>; at: number }> {
  return messages.map((message) => JSON.parse(message.data));
}
