import type { Context } from "hono";
import type { Config } from "./config";
import type { Db } from "./db/types";
import type { PasswordHasher } from "./lib/password";

export type LogEntry = Record<string, unknown> & { level: "info" | "warn" | "error"; msg: string };

/** Everything the app needs from the outside world; each runtime builds its own. */
export interface Deps {
  config: Config;
  db: Db;
  /** Milliseconds since the epoch; tests move it to check expiry. */
  now: () => number;
  passwords: PasswordHasher;
  /** The address of the client that sent this request, as the runtime knows it. */
  clientAddress: (c: Context) => string;
  /** OAuth providers fetch through this, so tests and proxies can see the traffic. */
  fetch: typeof fetch;
  log: (entry: LogEntry) => void;
}

export function jsonLogger(config: Config): Deps["log"] {
  if (config.LOG_LEVEL === "silent") return () => {};
  return (entry) => console.log(JSON.stringify({ time: new Date().toISOString(), ...entry }));
}
