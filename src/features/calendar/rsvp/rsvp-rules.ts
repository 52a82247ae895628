// Who may answer an invitation and how an answer lands, without a database. Children never answer (their guardians
// decide for them); a teen's answer to an event outside their own household waits for a guardian (an owner or adult
// of a household they are a teen in); everyone else answers directly. An answer is for the whole series, or for
// one occurrence (kept apart, so "declined on the 14th" stands beside "accepted" for the rest).
import { validationError } from "../../../lib/errors";
import type { HouseholdRole } from "../../households";
import { findOccurrence } from "../event-form";
import type { OccurrenceAnswers, RsvpStatus } from "../schema";

export type AnswerRoute = { kind: "direct" } | { kind: "guardian"; householdIds: string[] } | { kind: "refused"; reason: string };

/** How the person's answer to an event of this calendar goes, from their roles in their households. */
export function answerRoute(households: ReadonlyMap<string, { role: HouseholdRole }>, calendar: { contextType: string; contextId: string }): AnswerRoute {
  const roles = [...households.values()].map((h) => h.role);
  if (roles.includes("child")) return { kind: "refused", reason: "Children cannot answer invitations: a guardian of their household answers for them." };
  const teenIn = [...households].filter(([, h]) => h.role === "teen").map(([id]) => id);
  if (teenIn.length === 0) return { kind: "direct" };
  if (calendar.contextType === "household" && teenIn.includes(calendar.contextId)) return { kind: "direct" };
  return { kind: "guardian", householdIds: teenIn };
}

export interface Answered {
  status: RsvpStatus;
  comment: string | null;
  occurrenceAnswers: OccurrenceAnswers;
}

/** The attendee's answers after one more: the series' own, or one occurrence's. */
export function withAnswer(current: Answered, status: RsvpStatus, occurrence: string | null, comment: string | null): Answered {
  if (occurrence === null) return { status, comment, occurrenceAnswers: current.occurrenceAnswers };
  return { ...current, occurrenceAnswers: { ...current.occurrenceAnswers, [occurrence]: comment ? { status, comment } : { status } } };
}

/** After the event moved: everyone is asked again. */
export const RESET: Answered = { status: "needs-action", comment: null, occurrenceAnswers: {} };

/** An attendee's answer for one occurrence: its own when given, else the series'. */
export function statusFor(answered: Pick<Answered, "status" | "occurrenceAnswers">, recurrenceId: string | null): RsvpStatus {
  return (recurrenceId !== null ? answered.occurrenceAnswers[recurrenceId]?.status : undefined) ?? answered.status;
}

type Timing = { start: string; end: string; timeZone: string | null; rrule: string | null; rdates: readonly string[]; overrides: readonly { recurrenceId: string; start?: string | null; end?: string | null; cancelled?: boolean }[] };

/**
 * What a change to an event's times does to the answers: the series moved (start, end, zone, rule, extra dates) —
 * everyone is asked again; only some occurrences moved — those occurrences are asked again; nothing moved — null.
 */
export function movedBy(before: Timing, after: Timing): { series: true } | { series: false; occurrences: string[] } | null {
  const series = (e: Timing) => JSON.stringify([e.start, e.end, e.timeZone, e.rrule, e.rdates]);
  if (series(before) !== series(after)) return { series: true };
  const timesOf = (e: Timing) => new Map(e.overrides.filter((o) => !o.cancelled).map((o) => [o.recurrenceId, `${o.start ?? ""}|${o.end ?? ""}`]));
  const [a, b] = [timesOf(before), timesOf(after)];
  const occurrences = [...b].filter(([id, times]) => a.get(id) !== times).map(([id]) => id);
  return occurrences.length ? { series: false, occurrences } : null;
}

/** The answers after a move: all reset, or the moved occurrences asked again. */
export function afterMove(current: Answered, moved: NonNullable<ReturnType<typeof movedBy>>): Answered {
  if (moved.series) return RESET;
  const occurrenceAnswers = { ...current.occurrenceAnswers };
  for (const id of moved.occurrences) occurrenceAnswers[id] = { status: "needs-action" };
  return { ...current, occurrenceAnswers };
}

/** The occurrence an answer names, checked: a series' own occurrence (its recurrence id), or null for the whole event. */
export function answeredOccurrence(row: Parameters<typeof findOccurrence>[0], occurrence: string | undefined, zone: string): string | null {
  if (occurrence === undefined || (!row.rrule && row.rdates.length === 0)) return null;
  if (!findOccurrence(row, occurrence, zone)) throw validationError({ occurrence: ["This event has no such occurrence (it may have been moved or cancelled)."] });
  return occurrence;
}
