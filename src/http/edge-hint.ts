/** What an edge or a geolocation service says about where a request comes from. */
export interface GeoHint {
  country: string;
  region?: string;
  city?: string;
}

/**
 * Cloudflare's request.cf on Workers; the CF-IPCountry (and visitor location) headers elsewhere, but
 * only from a trusted proxy (TRUST_PROXY), as any client can send them.
 */
export function edgeHint(request: Request, trustHeaders = true): GeoHint | null {
  const cf = (request as { cf?: { country?: unknown; region?: unknown; city?: unknown } }).cf;
  const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);
  const header = (name: string) => (trustHeaders ? request.headers.get(name) : null);
  const country = text(cf?.country) ?? text(header("cf-ipcountry"));
  // XX: unknown; T1: Tor.
  if (!country || !/^[A-Za-z]{2}$/.test(country) || /^(XX|T1)$/i.test(country)) return null;
  const region = text(cf?.region) ?? decodeHeader(header("cf-region"));
  const city = text(cf?.city) ?? decodeHeader(header("cf-ipcity"));
  return { country, region, city };
}

function decodeHeader(value: string | null): string | undefined {
  if (!value) return undefined;
  try {
    return decodeURIComponent(value).trim() || undefined;
  } catch {
    return undefined;
  }
}
