// Reading an address a user gave us (a calendar feed) without letting them aim the server at itself or its
// network: http(s) only, no credentials in the URL, at most 3 redirects with every hop checked again, a time limit,
// a size cap read as the bytes arrive, and no private, loopback, link-local or otherwise non-public address —
// checked on the address the connection actually uses (each runtime's `hop` resolves and checks in one step, see
// runtime/bun-outside-fetch.ts), so a name that resolves differently a second later gains nothing.
import ipaddr from "ipaddr.js";

export interface OutsideRequest {
  url: string;
  /** GET by default. A POST (a webhook) is sent once and its redirects are not followed. */
  method?: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
}

export interface OutsideResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** Where the answer came from, after redirects. */
  url: string;
}

/** Why a read failed, in words a person can act on (shown as the subscription's last error). */
export class OutsideFetchError extends Error {}

/** One request, no redirects followed: what a runtime provides. It must refuse a connection to a non-public address unless `allowPrivate`. */
export type Hop = (url: URL, request: OutsideRequest, allowPrivate: boolean) => Promise<{ status: number; headers: Headers; body: Uint8Array }>;

export type OutsideFetch = (request: OutsideRequest) => Promise<OutsideResponse>;

export const MAX_REDIRECTS = 3;

/** Whether an IP address is on the public internet (ipaddr.js's special ranges; an IPv4-mapped IPv6 address as its IPv4). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "unicast";
}

/** The address to read: webcal:// and webcals:// are https://; anything but http(s), or with a user or password, is refused. */
export function outsideUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim().replace(/^webcals?:\/\//i, "https://"));
  } catch {
    throw new OutsideFetchError("This is not a web address.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new OutsideFetchError("Only http://, https:// and webcal:// addresses can be read.");
  if (url.username || url.password) throw new OutsideFetchError("Put no user name or password in the address.");
  return url;
}

/** A host written as an IP address must be public (a name — localhost too — is checked where it is resolved, in the hop). */
export function checkLiteralHost(url: URL, allowPrivate: boolean): void {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && ipaddr.isValid(host) && !isPublicAddress(host)) throw new OutsideFetchError("The address points into a private network, which we do not read.");
}

/** Follows up to MAX_REDIRECTS redirects through `hop`, checking every address on the way. */
export function outsideFetcher(hop: Hop, allowPrivate: boolean): OutsideFetch {
  return async (request) => {
    let url = outsideUrl(request.url);
    for (let redirects = 0; ; redirects++) {
      checkLiteralHost(url, allowPrivate);
      const answer = await hop(url, request, allowPrivate);
      const location = answer.headers.get("location");
      if (request.method !== "POST" && answer.status >= 300 && answer.status < 400 && answer.status !== 304 && location) {
        if (redirects >= MAX_REDIRECTS) throw new OutsideFetchError(`The address redirected more than ${MAX_REDIRECTS} times.`);
        url = outsideUrl(new URL(location, url).href);
        continue;
      }
      return { ...answer, url: url.href };
    }
  };
}

/** Reads a body up to `maxBytes`, throwing as soon as it grows past it. */
export async function readCapped(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (!stream) return new Uint8Array();
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new OutsideFetchError(`The answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/**
 * The Workers hop: the platform's fetch, redirects handed back to outsideFetcher. Workers cannot reach a private
 * network (their fetch goes out through Cloudflare's edge), so only literal addresses need the check, done above.
 */
export const fetchHop: Hop = async (url, request) => {
  let response: Response;
  try {
    response = await fetch(url.href, { method: request.method ?? "GET", body: request.body, headers: request.headers, redirect: "manual", signal: AbortSignal.timeout(request.timeoutMs) });
  } catch (error) {
    throw new OutsideFetchError(error instanceof Error && error.name === "TimeoutError" ? `No answer within ${request.timeoutMs / 1000} seconds.` : "The address could not be reached.");
  }
  return { status: response.status, headers: response.headers, body: await readCapped(response.body, request.maxBytes) };
};
