import { secureHeaders as honoSecureHeaders } from "hono/secure-headers";
import type { AppContext } from "./types";

const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const kebab = (name: string) => name.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);

/** The CSP every page gets, with `frame-src` set (a module's host page frames that one origin, nothing else). */
export function cspWithFrame(frameOrigin: string): string {
  return [...Object.entries(CSP).map(([name, values]) => `${kebab(name)} ${values.join(" ")}`), `frame-src ${frameOrigin}`].join("; ");
}

/** Sets this response's CSP to the default plus `frame-src <origin>` (the middleware leaves a CSP a route set). */
export function allowFrameFrom(c: AppContext, origin: string): void {
  c.header("Content-Security-Policy", cspWithFrame(origin));
}

/**
 * HSTS for a year, no sniffing, no framing, and a CSP with no inline script, no eval. A header a
 * route set itself is kept (overwrite: false): only a module's host page does, to add its frame-src.
 */
export function secureHeaders() {
  return honoSecureHeaders({
    overwrite: false,
    strictTransportSecurity: "max-age=31536000; includeSubDomains",
    xContentTypeOptions: "nosniff",
    referrerPolicy: "strict-origin-when-cross-origin",
    xFrameOptions: "DENY",
    crossOriginOpenerPolicy: "same-origin",
    crossOriginResourcePolicy: "same-origin",
    contentSecurityPolicy: CSP,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });
}
