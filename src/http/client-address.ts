import type { Context } from "hono";
import type { Config } from "../config";

/**
 * The client's address: behind a trusted proxy (TRUST_PROXY=true) the first X-Forwarded-For entry,
 * otherwise what the runtime saw on the socket. Rate limits key on this.
 */
export function clientAddressFrom(config: Config, fromRuntime: (c: Context) => string) {
  return (c: Context): string => {
    if (config.TRUST_PROXY) {
      const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
      if (forwarded) return forwarded.slice(0, 64);
    }
    try {
      return fromRuntime(c) || "unknown";
    } catch {
      return "unknown";
    }
  };
}
