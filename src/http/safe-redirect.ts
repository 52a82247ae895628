/**
 * A redirect target from outside (`next`, a stored return path) as a browser will read it: only a
 * path on this site. Anything else — another host (`//evil`, `/\evil`, `/%2f%2fevil`), a scheme
 * (`javascript:`, `https:`), control characters, backslashes, encoded slashes in the path, raw
 * non-ASCII, broken percent-encoding, or more than 2,048 characters — becomes `fallback`. Never throws.
 */
export function safeRedirectTarget(value: unknown, fallback = "/home"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  // Browsers strip tabs and newlines from URLs and treat "\" as "/": refuse both outright.
  if (/[\u0000-\u001f\u007f\\]/.test(value) || /[^\u0020-\u007e]/.test(value)) return fallback;
  if (!value.startsWith("/") || value.startsWith("//")) return fallback;
  const path = value.split(/[?#]/, 1)[0]!;
  if (/%(2f|5c|00|0a|0d|09)/i.test(path)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return fallback;
  }
  if (decoded.startsWith("//") || /[\u0000-\u001f\u007f\\]/.test(decoded)) return fallback;
  // Last word: the URL parser itself must keep it on this origin.
  const base = "http://this-site.invalid";
  try {
    if (new URL(value, base).origin !== base) return fallback;
  } catch {
    return fallback;
  }
  return value;
}
