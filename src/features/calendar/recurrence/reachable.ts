// Whether a sub-daily rule's BYHOUR/BYMINUTE/BYSECOND can ever be met. rrule.js steps an HOURLY/MINUTELY/SECONDLY
// counter in a loop until those parts match; when INTERVAL never lands on them (FREQ=HOURLY;INTERVAL=24;BYHOUR=5
// from 03:00) that loop never ends. The counter's time of day moves in steps of gcd(INTERVAL, units per day), so
// the times it can reach are known in advance.
import type { Rule } from "./rrule-parse";

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export function reachable(rule: Rule, dtstart: number): boolean {
  const unit = rule.freq === "HOURLY" ? 3600 : rule.freq === "MINUTELY" ? 60 : rule.freq === "SECONDLY" ? 1 : 0;
  if (unit === 0) return true;
  const hours = rule.byHour, minutes = rule.freq === "HOURLY" ? [] : rule.byMinute, seconds = rule.freq === "SECONDLY" ? rule.bySecond : [];
  if (hours.length + minutes.length + seconds.length === 0) return true;
  const perDay = 86400 / unit;
  const step = gcd(rule.interval % perDay, perDay) || perDay;
  const startSecond = Math.floor((((dtstart % 86_400_000) + 86_400_000) % 86_400_000) / 1000);
  const first = Math.floor(startSecond / unit) % step;
  for (let u = first; u < perDay; u += step) {
    const s = u * unit + (startSecond % unit);
    const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    if ((hours.length === 0 || hours.includes(h)) && (minutes.length === 0 || minutes.includes(m)) && (seconds.length === 0 || seconds.includes(sec))) return true;
  }
  return false;
}
