// The Bun hop of lib/outside-fetch.ts: node:http(s) with a `lookup` that resolves the host and refuses it when any
// of its addresses is not public — the check and the connection use the same answer, so DNS rebinding gains
// nothing. Redirects are handed back to outsideFetcher, which checks the next address the same way.
import { lookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { isPublicAddress, OutsideFetchError, type Hop } from "../lib/outside-fetch";

const PRIVATE = "The address points into a private network, which we do not read.";

function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (host, options, callback) => {
    lookup(host, { all: true, family: options.family as number | undefined }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(new OutsideFetchError(error.code === "ENOTFOUND" ? `There is no host "${host}".` : "The address's host could not be looked up."), "", 4);
      if (!allowPrivate && (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address)))) return callback(new OutsideFetchError(PRIVATE), "", 4);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

export const bunHop: Hop = (url, request, allowPrivate) =>
  new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error instanceof OutsideFetchError ? error : new OutsideFetchError("The address could not be reached."));
    };
    const req = client.request(url, { method: request.method ?? "GET", headers: request.headers, lookup: guardedLookup(allowPrivate) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > request.maxBytes) {
          req.destroy();
          fail(new OutsideFetchError(`The answer is larger than ${Math.round(request.maxBytes / 1024 / 1024)} MB.`));
        } else chunks.push(chunk);
      });
      res.on("error", fail);
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
        resolve({ status: res.statusCode ?? 0, headers, body: new Uint8Array(Buffer.concat(chunks)) });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      fail(new OutsideFetchError(`No answer within ${request.timeoutMs / 1000} seconds.`));
    }, request.timeoutMs);
    req.on("error", fail);
    req.end(request.body);
  });
