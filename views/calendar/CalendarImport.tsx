import { html } from "hono/html";
import type { ImportReport } from "../../src/features/calendar/ical/import";

/** What the settings page shows after an import: the counts, each skipped event with its reason, the notes. */
export type ImportOutcome = Pick<ImportReport, "total" | "created" | "updated" | "unchanged" | "removed" | "skippedCount" | "skipped" | "notes">;

/** The name of the page stream's event that carries one import's progress (see the calendar.import.progress renderer). */
export const importEvent = (importId: string) => `import-${importId}`;

const PHASES: Record<string, string> = { reading: "Reading", saving: "Saving", done: "Finishing" };
const n = (value: number) => value.toLocaleString("en");

/** The progress bar the stream swaps in while the upload's answer is pending. */
export function importProgressHtml(progress: { phase: string; done: number; total: number }) {
  const label = progress.total ? `${PHASES[progress.phase] ?? "Importing"}: ${n(progress.done)} of ${n(progress.total)}` : "Importing…";
  return html`<progress max="${progress.total || 1}" value="${progress.done}" aria-label="${label}"></progress> <span>${label}</span>`;
}

function Report(props: { outcome: ImportOutcome }) {
  const o = props.outcome;
  const parts = [`${n(o.created)} new`, `${n(o.updated)} updated`, `${n(o.unchanged)} unchanged`, ...(o.removed ? [`${n(o.removed)} removed`] : [])];
  return (
    <div class="cal-import-report" role="status">
      <p>
        <strong>Imported {n(o.total)} events from the file:</strong> {parts.join(", ")}.
        {o.skippedCount ? ` ${n(o.skippedCount)} skipped.` : ""}
      </p>
      {o.skipped.length ? (
        <details open={o.skipped.length <= 5}>
          <summary>What was skipped, and why</summary>
          <ul>
            {o.skipped.map((s) => (
              <li>
                <strong>{s.title ?? s.uid ?? "An event"}</strong>: {s.reason}
              </li>
            ))}
          </ul>
          {o.skippedCount > o.skipped.length ? <p class="muted">…and {n(o.skippedCount - o.skipped.length)} more.</p> : null}
        </details>
      ) : null}
      {o.notes.map((note) => (
        <p class="muted">{note}</p>
      ))}
    </div>
  );
}

/**
 * Import an .ics file into a calendar. A plain multipart form; boosted by htmx, the page stays while the file is
 * read, and the bar below fills from the page's event stream under this render's `importId`.
 */
export function CalendarImport(props: { calendarId: string; importId: string; outcome: ImportOutcome | null; error: string | null }) {
  const { calendarId, importId } = props;
  return (
    <details class="cal-import" open={props.outcome !== null || props.error !== null}>
      <summary>Import from a file</summary>
      {props.outcome ? <Report outcome={props.outcome} /> : null}
      <form method="post" action={`/calendar/calendars/${calendarId}/import`} enctype="multipart/form-data" hx-encoding="multipart/form-data" hx-disabled-elt="find button">
        <input type="hidden" name="importId" value={importId} />
        <label for={`import-${calendarId}`}>An .ics file (from Google, Outlook, Apple or any calendar app), up to 10 MB</label>
        <input id={`import-${calendarId}`} type="file" name="file" accept=".ics,text/calendar" required aria-invalid={props.error ? "true" : undefined} aria-describedby={props.error ? `import-${calendarId}-error` : undefined} />
        {props.error ? (
          <p class="field-error" id={`import-${calendarId}-error`}>
            {props.error}
          </p>
        ) : null}
        <p class="hint">Events already here with the same UID are updated, not doubled; nothing else is removed.</p>
        <button type="submit" class="button small">
          Import
        </button>
        <div class="cal-import-progress" sse-swap={importEvent(importId)} hx-swap="innerHTML" aria-live="polite"></div>
      </form>
    </details>
  );
}
