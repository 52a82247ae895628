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

/** The CSP every page gets, with `frame-src` set and more `form-action` targets when given. */
export function cspWith(extra: { frameSrc?: string; formAction?: readonly string[] }): string {
  const directives: Record<string, string[]> = { ...CSP, formAction: [...CSP.formAction, ...(extra.formAction ?? [])] };
  const lines = Object.entries(directives).map(([name, values]) => `${kebab(name)} ${values.join(" ")}`);
  if (extra.frameSrc) lines.push(`frame-src ${extra.frameSrc}`);
  return lines.join("; ");
}

/** Sets this response's CSP to the default plus `frame-src <origin>` (the middleware leaves a CSP a route set). */
export function allowFrameFrom(c: AppContext, origin: string): void {
  c.header("Content-Security-Policy", cspWith({ frameSrc: origin }));
}

/** Sets this response's CSP to the default with forms also allowed to lead to `origins` (a post that redirects there). */
export function allowFormsTo(c: AppContext, origins: readonly string[]): void {
  c.header("Content-Security-Policy", cspWith({ formAction: origins }));
}

/**
 * HSTS for a year, no sniffing, no framing, and a CSP with no inline script, no eval. A header a
 * route set itself is kept (overwrite: false): a module's host page sets one to add its frame-src, a billing
 * page to let its forms lead to Stripe.
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
