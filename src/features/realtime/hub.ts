// Where open streams get new rows of the log. On Bun one hub per database serves every stream of
// the process: one poll per interval (or at once when a write in this process says so), each row
// handed to the streams whose channels include it. On Workers each stream has a hub of its own
// that asks the database only for its channels.
import type { Db } from "../../db/types";
import type { Deps, LiveSignal } from "../../deps";
import { logCursor, PAGE_SIZE, readLog } from "./log";
import type { EventRow } from "./schema";

/** One open stream as the hub sees it. `channels` may be changed in place while it is subscribed. */
export interface Subscriber {
  channels: Set<string>;
  deliver(rows: EventRow[]): void;
}

export class Hub {
  private readonly subscribers = new Set<Subscriber>();
  private cursor: number | null = null;
  private starting: Promise<void> | null = null;
  private polling = false;
  private pollAgain = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly db: Db,
    private readonly live: LiveSignal,
    private readonly log: Deps["log"],
    /** A private hub (Workers) asks the database for its one subscriber's channels only. */
    private readonly onlyChannelsOf: Subscriber | null = null,
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** The id of the newest row handed out (0 before the hub has started). */
  get position(): number {
    return this.cursor ?? 0;
  }

  /**
   * Adds a stream and returns the id it starts after: every row with a higher id reaches it
   * through `deliver`, none with a lower or equal one does.
   */
  async subscribe(subscriber: Subscriber): Promise<number> {
    if (this.cursor === null) {
      this.starting ??= logCursor(this.db).then(
        (cursor) => {
          this.cursor ??= cursor;
        },
        (error) => {
          this.starting = null;
          throw error;
        },
      );
      await this.starting;
    }
    this.subscribers.add(subscriber);
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll(), this.live.pollMs);
      // A private hub (Workers) only polls: a write in another request must not make this one's
      // stream do I/O from that request (workerd refuses I/O across requests).
      if (!this.onlyChannelsOf) this.stopListening = this.live.listen(() => void this.poll());
    }
    return this.cursor!;
  }

  unsubscribe(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.stopListening?.();
    this.timer = null;
    this.stopListening = null;
    // Forget the cursor: a hub with no streams does not follow the log, so the next one starts afresh.
    this.cursor = null;
    this.starting = null;
  }

  /** Reads what is new and hands it out; a call while a poll runs makes that poll go round again. */
  async poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    try {
      do {
        this.pollAgain = false;
        if (this.cursor === null) return;
        const rows = await readLog(this.db, { after: this.cursor, channels: this.onlyChannelsOf?.channels });
        if (this.cursor === null) return;
        if (rows.length > 0) {
          this.cursor = rows[rows.length - 1]!.id;
          this.dispatch(rows);
        }
        if (rows.length === PAGE_SIZE) this.pollAgain = true;
      } while (this.pollAgain);
    } catch (error) {
      // The database may be away for a moment; the next tick tries again from the same cursor.
      this.log({ level: "warn", msg: "event log poll failed", error: String(error) });
    } finally {
      this.polling = false;
    }
  }

  private dispatch(rows: EventRow[]): void {
    for (const subscriber of this.subscribers) {
      const mine = rows.filter((row) => subscriber.channels.has(row.channel));
      if (mine.length > 0) subscriber.deliver(mine);
    }
  }
}

const sharedHubs = new WeakMap<Db, Hub>();

/** The hub a new stream subscribes to: the instance's shared one, or (Workers) one of its own. */
export function hubFor(deps: Pick<Deps, "db" | "live" | "log">, subscriber: Subscriber): Hub {
  if (!deps.live.shared) return new Hub(deps.db, deps.live, deps.log, subscriber);
  let hub = sharedHubs.get(deps.db);
  if (!hub) sharedHubs.set(deps.db, (hub = new Hub(deps.db, deps.live, deps.log)));
  return hub;
}
