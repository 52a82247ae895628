import type { Context } from "hono";
import type { Config } from "../config";

/**
 * The address a request came from, given the X-Forwarded-For header and how many proxies we run in
 * front of the app: each proxy appends the address it saw, so the client is the entry `hops` from the
 * right. Entries further left were written by the client itself and prove nothing.
 */
export function forwardedClient(header: string | undefined, hops: number): string | null {
  const entries = (header ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) return null;
  return entries[Math.max(0, entries.length - hops)]!.slice(0, 64);
}

/**
 * The client's address: behind trusted proxies (TRUST_PROXY=true, TRUST_PROXY_HOPS of them) the
 * rightmost untrusted X-Forwarded-For entry, otherwise what the runtime saw on the socket. Rate
 * limits key on this.
 */
export function clientAddressFrom(config: Config, fromRuntime: (c: Context) => string) {
  return (c: Context): string => {
    if (config.TRUST_PROXY) {
      const forwarded = forwardedClient(c.req.header("x-forwarded-for"), config.TRUST_PROXY_HOPS);
      if (forwarded) return forwarded;
    }
    try {
      return fromRuntime(c) || "unknown";
    } catch {
      return "unknown";
    }
  };
}
