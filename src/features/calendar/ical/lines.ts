// iCalendar content lines (RFC 5545 §3.1–3.3): text escaped, parameters quoted where they must be, and lines
// folded at 75 octets without splitting a UTF-8 sequence. The `ics` package folds at 75 characters and has
// no way to write TZID, VTIMEZONE or a zoned RECURRENCE-ID, so the calendar writes its own lines; ical.js
// reads every one back in the tests.

const encoder = new TextEncoder();

/** TEXT values: backslash, semicolon, comma and line breaks escaped (§3.3.11). */
export function escapeText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r\n|\r|\n/g, "\\n");
}

/** A parameter value: quoted when it holds `:`, `;` or `,`; double quotes and control characters dropped (§3.2). */
export function paramValue(value: string): string {
  const clean = value.replace(/["\u0000-\u001f\u007f]/g, "");
  return /[:;,]/.test(clean) ? `"${clean}"` : clean;
}

/** Folds one logical line: at most 75 octets per physical line, continuation lines start with a space. */
export function fold(line: string): string {
  if (line.length <= 75 && !/[^\x00-\x7f]/.test(line)) return line;
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
      limit = 74; // the leading space counts
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

export type Params = Record<string, string | undefined>;

/** One content line, folded, ending in CRLF. `value` is written as given (escape TEXT with escapeText). */
export function line(name: string, value: string, params: Params = {}): string {
  let head = name;
  for (const [key, param] of Object.entries(params)) if (param !== undefined) head += `;${key}=${paramValue(param)}`;
  return `${fold(`${head}:${value.replace(/[\r\n]/g, "")}`)}\r\n`;
}

/** A UTC instant as 20260308T140000Z. */
export function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** "2026-03-08T09:00" → 20260308T090000; "2026-03-08" → 20260308. */
export function basicForm(local: string): string {
  const [date, time] = local.split("T");
  const digits = date!.replace(/-/g, "");
  if (time === undefined) return digits;
  const [h, m, s] = time.split(":");
  return `${digits}T${h}${m}${(s ?? "00").slice(0, 2)}`;
}
