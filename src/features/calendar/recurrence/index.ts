// The calendar's recurrence engine: pure functions, no database. See docs/calendar.md for the model.
export type { LocalDate, LocalDateTime, Zone } from "./wall-clock";
export { DAY_MS, formatLocalDate, formatLocalDateTime, HOUR_MS, MINUTE_MS, parseLocalDate, parseLocalDateTime, startOfDay, wallFromFields, weekdayOf } from "./wall-clock";
export { isTimeZone, offsetAt, placeWallClock, wallClockAt } from "./zone";
export type { ByDay, Frequency, ParseResult, Rule, RuleError, Until, Weekday } from "./rrule-parse";
export { formatRRule, parseRRule, RULE_LIMITS } from "./rrule-parse";
export type { DateForm } from "./date-forms";
export { parseDateForm, toSeriesClock } from "./date-forms";
export { RecurrenceError } from "./errors";
export type { Override, Series } from "./series";
export { prepareSeries, SERIES_LIMITS } from "./series";
export type { Expansion, ExpandLimits, ExpandWindow, Occurrence } from "./expand";
export { DEFAULT_LIMITS, expand } from "./expand";
export type { InstanceList } from "./instances";
export { listInstances } from "./instances";
export { cancelOccurrence, dropStrayExceptions, moveSeries, overrideOccurrence, splitSeries } from "./edits";
export { seriesBounds, type SeriesBounds } from "./bounds";
export { describeRule } from "./summary";
