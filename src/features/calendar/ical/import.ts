// Importing iCalendar text into a calendar: parsed a batch at a time (parse.ts), planned without the database
// (import-plan.ts), then written a chunk at a time, each chunk one transaction that reads what the calendar holds
// for its UIDs, creates or updates by UID (+ RECURRENCE-ID), and announces the change and the progress. Between
// chunks the event loop is free, so a 5 MB file does not hold up other requests or the write lock. An import cut
// short leaves whole chunks behind; importing the file again finishes it, as it matches by UID.
// A subscription's refresh uses the same path in "mirror" mode: what the feed no longer has is removed.
import { and, count, eq, inArray } from "drizzle-orm";
import { writeTransaction } from "../../../db/transaction";
import type { Tx } from "../../../db/types";
import type { Deps } from "../../../deps";
import { newId } from "../../../lib/crypto";
import { AppError } from "../../../lib/errors";
import { recordAudit, type RequestMeta } from "../../audit";
import { channel, publish } from "../../realtime";
import { announce, calendarFor, requireAccess } from "../calendars";
import { seriesOf } from "../event-series";
import { MAX_EVENTS_PER_CALENDAR, rowFields } from "../events";
import { RecurrenceError } from "../recurrence";
import { calendarEvents, type CalendarEventRow, type CalendarRow } from "../schema";
import { overrideOf, planImport, shapeOf, type PlannedEvent, type Removal } from "./import-plan";
import { IcsError, parseIcs, type EventFields, type ParsedFile, type Skipped } from "./parse";

export const IMPORT_PROGRESS = "calendar.import.progress";
/** Rows written per transaction. */
const CHUNK = 200;
/** Skipped events listed in a report (the count says how many there were in all). */
const LISTED_SKIPS = 200;

export interface ImportReport {
  calendarId: string;
  /** VEVENTs in the file. */
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  skippedCount: number;
  skipped: Skipped[];
  notes: string[];
  /** The file's own name for the calendar (X-WR-CALNAME), and how often it asks to be read again. */
  name: string | null;
  refreshMs: number | null;
}

export interface ImportProgress {
  importId: string;
  phase: "reading" | "saving" | "done";
  done: number;
  total: number;
}

export interface WriteOptions {
  /** merge: an import (what the calendar has beyond the file stays); mirror: a subscription (it goes). */
  mode: "merge" | "mirror";
  actorId: string | null;
  /** Where progress is published: the importing person's channel, under the id their page listens for. */
  progress: { userId: string; importId: string } | null;
}

/** Lets timers and other requests run between chunks. */
const breathe = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function progressEvent(options: Pick<WriteOptions, "progress">, progress: Omit<ImportProgress, "importId">) {
  return options.progress ? [{ channel: channel.user(options.progress.userId), type: IMPORT_PROGRESS, payload: { importId: options.progress.importId, ...progress } }] : [];
}

/** Imports `text` into a calendar the person may add events to. Throws a 400 naming `file` when it is not iCalendar. */
export async function importIcs(deps: Deps, userId: string, calendarId: string, text: string, options: { importId?: string; meta: RequestMeta }): Promise<ImportReport> {
  const calendar = await calendarFor(deps, userId, calendarId);
  requireAccess(calendar, "write", "import events");
  const writeOptions: WriteOptions = { mode: "merge", actorId: userId, progress: options.importId ? { userId, importId: options.importId } : null };
  const file = await readIcs(deps, calendar.row.timeZone, text, writeOptions);
  const report = await writeParsed(deps, calendar.row, file, writeOptions);
  await writeTransaction(deps.db, async (tx) => {
    const { skipped, notes, ...counts } = report;
    await recordAudit(tx, deps.now(), options.meta, { actorUserId: userId, action: "calendar.imported", targetType: "calendar", targetId: calendarId, details: { ...counts, skipped: skipped.length } });
    await publish(tx, deps, ...progressEvent(writeOptions, { phase: "done", done: report.total, total: report.total }));
  });
  return report;
}

/** Parses the text a batch at a time (publishing progress); not iCalendar at all is a 400 naming `file`. */
export async function readIcs(deps: Deps, fallbackZone: string, text: string, options: Pick<WriteOptions, "progress">): Promise<ParsedFile> {
  try {
    return await parseIcs(text, {
      fallbackZone,
      now: deps.now(),
      onBatch: async (done, total) => {
        if (options.progress) await writeTransaction(deps.db, (tx) => publish(tx, deps, ...progressEvent(options, { phase: "reading", done, total })));
        await breathe();
      },
    });
  } catch (error) {
    if (error instanceof IcsError) throw new AppError(400, "validation_failed", error.message, { fieldErrors: { file: [error.message] } });
    throw error;
  }
}

/** Writes a parsed file into the calendar; the subscription refresh calls this with mode "mirror". */
export async function writeParsed(deps: Deps, calendar: CalendarRow, file: ParsedFile, options: WriteOptions): Promise<ImportReport> {
  const plan = planImport(file.events);
  const report: ImportReport = { calendarId: calendar.id, total: file.total, created: 0, updated: 0, unchanged: 0, removed: 0, skippedCount: 0, skipped: [], notes: file.notes, name: file.name, refreshMs: file.refreshMs };
  const skip = (entry: Skipped) => {
    report.skippedCount++;
    if (report.skipped.length < LISTED_SKIPS) report.skipped.push(entry);
  };
  for (const entry of [...file.skipped, ...plan.skipped]) skip(entry);

  const work: Array<PlannedEvent | Removal> = [...plan.upserts, ...plan.removals];
  const kept = new Set<string>();
  for (let i = 0; i < work.length; i += CHUNK) {
    const chunk = work.slice(i, i + CHUNK);
    await writeTransaction(deps.db, async (tx) => {
      const changed = await writeChunk(tx, deps, calendar, chunk, options, report, skip, kept);
      if (changed) await announce(tx, deps, calendar, { change: "imported" });
      await publish(tx, deps, ...progressEvent(options, { phase: "saving", done: Math.min(i + CHUNK, work.length), total: work.length }));
    });
    await breathe();
  }
  if (options.mode === "mirror") await removeMissing(deps, calendar, kept, report);
  return report;
}

const keyOf = (uid: string, recurrenceId: string | null) => `${uid}\n${recurrenceId ?? ""}`;

/** What an update compares: equal → the row is left alone (its SEQUENCE and feeds' ETags stay). */
function comparable(row: Pick<CalendarEventRow, "title" | "description" | "location" | "url" | "visibility" | "transparency" | "start" | "end" | "timeZone" | "allDay" | "rrule" | "exdates" | "rdates" | "overrides">): string {
  const { title, description, location, url, visibility, transparency, start, end, timeZone, allDay, rrule, exdates, rdates, overrides } = row;
  return JSON.stringify([title, description, location, url, visibility, transparency, start, end, timeZone, allDay, rrule, exdates, rdates, overrides]);
}

const fieldsOf = (row: CalendarEventRow): EventFields => ({ title: row.title, description: row.description, location: row.location, url: row.url, visibility: row.visibility, transparency: row.transparency });

/** The row's columns for a series, or a skip entry when the engine refuses it. */
function planned(fieldsFor: () => ReturnType<typeof rowFields>, uid: string, title: string, skip: (entry: Skipped) => void): ReturnType<typeof rowFields> | null {
  try {
    return fieldsFor();
  } catch (error) {
    if (error instanceof RecurrenceError || error instanceof AppError) {
      skip({ uid, title, reason: error.message });
      return null;
    }
    throw error;
  }
}

async function writeChunk(tx: Tx, deps: Deps, calendar: CalendarRow, chunk: ReadonlyArray<PlannedEvent | Removal>, options: WriteOptions, report: ImportReport, skip: (entry: Skipped) => void, kept: Set<string>): Promise<boolean> {
  const uids = [...new Set(chunk.map((item) => item.uid))];
  const rows = await tx.select().from(calendarEvents).where(and(eq(calendarEvents.calendarId, calendar.id), inArray(calendarEvents.uid, uids)));
  const existing = new Map(rows.map((row) => [keyOf(row.uid, row.recurrenceId), row]));
  const [held] = await tx.select({ n: count() }).from(calendarEvents).where(eq(calendarEvents.calendarId, calendar.id));
  let room = MAX_EVENTS_PER_CALENDAR - (held?.n ?? 0);
  const now = deps.now();
  let changed = false;

  const update = async (row: CalendarEventRow, next: Partial<CalendarEventRow>) => {
    const merged = { ...row, ...next };
    if (comparable(merged) === comparable(row)) {
      report.unchanged++;
      return;
    }
    await tx.update(calendarEvents).set({ ...next, sequence: row.sequence + 1, updatedAt: now }).where(eq(calendarEvents.id, row.id));
    existing.set(keyOf(row.uid, row.recurrenceId), { ...merged, sequence: row.sequence + 1, updatedAt: now });
    report.updated++;
    changed = true;
  };
  /** An occurrence of a series the calendar already has: folded into it as an override (or a cancellation). */
  const foldInto = async (master: CalendarEventRow, item: PlannedEvent | Removal) => {
    const source = item.source!;
    const fields = planned(
      () => {
        const series = seriesOf(master);
        const override = overrideOf(source, shapeOf(series, fieldsOf(master)));
        return rowFields({ ...series, overrides: [...(series.overrides ?? []).filter((o) => o.recurrenceId !== override.recurrenceId), override] });
      },
      item.uid,
      source.fields.title,
      skip,
    );
    if (fields) await update(master, fields);
    kept.add(keyOf(master.uid, null));
  };

  for (const item of chunk) {
    const master = existing.get(keyOf(item.uid, null));
    if (!("series" in item)) {
      if (item.recurrenceId !== null && master) {
        await foldInto(master, item);
        continue;
      }
      const gone = item.recurrenceId === null ? rows.filter((r) => r.uid === item.uid) : [existing.get(keyOf(item.uid, item.recurrenceId))].filter((r) => r !== undefined);
      if (gone.length) {
        await tx.delete(calendarEvents).where(inArray(calendarEvents.id, gone.map((r) => r.id)));
        for (const r of gone) existing.delete(keyOf(r.uid, r.recurrenceId));
        report.removed += gone.length;
        changed = true;
      }
      continue;
    }
    if (item.recurrenceId !== null && master) {
      await foldInto(master, item);
      continue;
    }
    const fields = planned(() => rowFields(item.series), item.uid, item.fields.title, skip);
    if (!fields) continue;
    const key = keyOf(item.uid, item.recurrenceId);
    kept.add(key);
    const found = existing.get(key);
    if (found) {
      await update(found, { ...item.fields, ...fields });
      continue;
    }
    if (room <= 0) {
      skip({ uid: item.uid, title: item.fields.title, reason: `The calendar is full (${MAX_EVENTS_PER_CALENDAR.toLocaleString("en")} events).` });
      continue;
    }
    const row: CalendarEventRow = { id: newId(), calendarId: calendar.id, uid: item.uid, recurrenceId: item.recurrenceId, reminders: null, ...item.fields, color: null, ...fields, sequence: 0, createdBy: options.actorId, createdAt: now, updatedAt: now };
    await tx.insert(calendarEvents).values(row);
    existing.set(key, row);
    room--;
    report.created++;
    changed = true;
  }
  return changed;
}

/** Mirror mode: the rows whose UID (+ RECURRENCE-ID) the feed no longer has. */
async function removeMissing(deps: Deps, calendar: CalendarRow, kept: ReadonlySet<string>, report: ImportReport): Promise<void> {
  const rows = await deps.db.select({ id: calendarEvents.id, uid: calendarEvents.uid, recurrenceId: calendarEvents.recurrenceId }).from(calendarEvents).where(eq(calendarEvents.calendarId, calendar.id));
  const gone = rows.filter((r) => !kept.has(keyOf(r.uid, r.recurrenceId))).map((r) => r.id);
  for (let i = 0; i < gone.length; i += CHUNK) {
    const ids = gone.slice(i, i + CHUNK);
    await writeTransaction(deps.db, async (tx) => {
      const result = await tx.delete(calendarEvents).where(and(eq(calendarEvents.calendarId, calendar.id), inArray(calendarEvents.id, ids)));
      report.removed += result.rowsAffected;
      await announce(tx, deps, calendar, { change: "imported" });
    });
    await breathe();
  }
}
