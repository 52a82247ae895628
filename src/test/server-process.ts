// The real Bun server (src/runtime/bun.ts) as its own process on a free loopback port, production
// mode, rate limits off: what the Chromium journeys, the concurrency test and the sign-up bench talk to.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");

export interface ServerProcess {
  baseUrl: string;
  /** The server's temporary directory (its database file unless `databaseUrl` was given, its uploads). */
  dir: string;
  /** The bun process's id (its /proc/<pid>/status has the server's RSS). */
  pid: number;
  stop(): Promise<void>;
  /** Kills the process at once (SIGKILL, as a crash would), keeping its directory and database. */
  kill(): Promise<void>;
}

export interface ServerOptions {
  /** Defaults to a fresh file in the server's own temporary directory. */
  databaseUrl?: string;
  /** Where the server's JSON log lines go; by default nowhere. */
  stdout?: "ignore" | "inherit" | ReturnType<typeof Bun.file>;
  env?: Record<string, string>;
  /** The host name the server is reached (and its PUBLIC_URL set) at; WebAuthn needs "localhost", not an IP. */
  host?: "127.0.0.1" | "localhost";
  /** A fixed port (to start a server again where a killed one was); by default a free one. */
  port?: number;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it). */
export function freePort(): number {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

/** Starts the server and resolves once /health answers (within 30 s). */
export async function startServerProcess(options: ServerOptions = {}): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), "bob-server-"));
  const port = options.port ?? freePort();
  const server = Bun.spawn([process.execPath, "src/runtime/bun.ts"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      TZ: "UTC",
      PORT: String(port),
      DATABASE_URL: options.databaseUrl ?? `file:${join(dir, "app.db")}`,
      STORAGE_DIR: join(dir, "uploads"),
      NODE_ENV: "production",
      PUBLIC_URL: `http://${options.host ?? "127.0.0.1"}:${port}`,
      SECRET_KEYS: `e2e:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`,
      RATE_LIMIT: "off",
      ...options.env,
    },
    stdout: options.stdout ?? "ignore",
    stderr: "inherit",
  });
  const stop = async () => {
    server.kill("SIGTERM");
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const baseUrl = `http://${options.host ?? "127.0.0.1"}:${port}`;
  const kill = async () => {
    server.kill("SIGKILL");
    await server.exited;
  };
  for (let attempt = 0; ; attempt++) {
    if (server.exitCode !== null) {
      await stop();
      throw new Error(`the server exited with ${server.exitCode}`);
    }
    if (await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false)) return { baseUrl, dir, pid: server.pid, stop, kill };
    if (attempt >= 300) {
      await stop();
      throw new Error("the server did not answer /health within 30 s");
    }
    await Bun.sleep(100);
  }
}
