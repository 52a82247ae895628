// The wire side of a stream, kept small because thousands stay open: a ReadableStream fed by
// enqueue (no TransformStream, writer and reader per stream), SSE frames built as text once and
// encoded once, and a reader that stops reading is let go rather than buffered for without end.

/** One SSE message: an optional event name and data (split into `data:` lines). */
export interface SseMessage {
  event?: string;
  data: string;
}

const encoder = new TextEncoder();

/** The frames of messages that all carry `id:` (one row of the log). */
export function sseFrames(messages: readonly SseMessage[], id: number | string): Uint8Array {
  let text = "";
  for (const message of messages) {
    if (message.event !== undefined && /[\r\n]/.test(message.event)) throw new Error("an event name may not hold a line break");
    if (message.event) text += `event: ${message.event}\n`;
    for (const line of message.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
    text += `id: ${id}\n\n`;
  }
  return encoder.encode(text);
}

/** Queued frames a stream may hold for a reader that does not keep up, before it is closed (it reconnects and replays). */
const MAX_QUEUED_FRAMES = 512;

export class SseSink {
  readonly readable: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private abortListeners: Array<() => void> = [];
  closed = false;

  constructor() {
    this.readable = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        cancel: () => this.abort(),
      },
      { highWaterMark: MAX_QUEUED_FRAMES },
    );
  }

  /** Queues bytes (or text) for the reader; past the limit the reader is too slow, and the stream ends. */
  write(chunk: Uint8Array | string): void {
    if (this.closed) return;
    if ((this.controller.desiredSize ?? 0) <= 0) {
      this.close();
      return;
    }
    this.controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
  }

  onAbort(listener: () => void): void {
    this.abortListeners.push(listener);
  }

  /** Ends the stream (the client's EventSource reconnects after `retry:`). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.controller.close();
    } catch {}
    this.fireAbort();
  }

  private abort(): void {
    if (this.closed) return;
    this.closed = true;
    this.fireAbort();
  }

  private fireAbort() {
    const listeners = this.abortListeners;
    this.abortListeners = [];
    for (const listener of listeners) listener();
  }
}
