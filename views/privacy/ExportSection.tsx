import type { ExportView } from "../../src/features/exports";
import { FormMessage } from "../components/Field";

export interface ExportSectionProps {
  exports: ExportView[];
  ttlDays: number;
  message?: { kind: "success" | "error"; text: string } | null;
}

const STATUS: Record<ExportView["status"], string> = {
  queued: "Waiting to start",
  building: "Being built",
  ready: "Ready",
  failed: "Failed",
  expired: "Expired (deleted)",
};

const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") + " UTC" : "");

function size(bytes: number | null): string {
  if (bytes === null) return "";
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function ExportItem({ item }: { item: ExportView }) {
  const working = item.status === "queued" || item.status === "building";
  return (
    <li data-export={item.id} data-status={item.status}>
      <strong>{STATUS[item.status]}</strong> · asked {day(item.createdAt)}
      {item.requestedBy === "admin" ? " by a platform admin on your request" : ""}
      {working ? (
        <>
          {" "}
          <progress max={Math.max(item.progress.total, 1)} value={item.progress.done} aria-label="Export progress">
            {item.progress.done} of {item.progress.total}
          </progress>{" "}
          {item.progress.total ? `${item.progress.done} of ${item.progress.total} parts` : ""}
        </>
      ) : null}
      {item.downloadUrl ? (
        <>
          {" "}
          · <a href={item.downloadUrl} download hx-boost="false">Download the ZIP ({size(item.size)})</a> · until {day(item.expiresAt)}
        </>
      ) : null}
      {item.error ? <span class="muted"> · {item.error}</span> : null}
    </li>
  );
}

/**
 * "Download your data" on the profile. It reloads itself when the export changes (the page's live
 * stream sends `exports`), and every 3 s while one is on its way in case the stream is down or an
 * event came before this section was swapped in; without JavaScript, reloading the page shows the same.
 */
export function ExportSection(props: ExportSectionProps) {
  const active = props.exports.some((item) => item.status === "queued" || item.status === "building");
  return (
    <section id="your-data" class="card" hx-get="/profile/exports" hx-trigger={active ? "sse:exports, sse:resync, every 3s" : "sse:exports, sse:resync"} hx-swap="outerHTML">
      <h2>Download your data</h2>
      <p class="muted">
        A ZIP with everything the platform keeps about you: one JSON file per part of the platform, the files you uploaded, and a README that explains
        them. We tell you (and mail you) when it is ready; the download works for {props.ttlDays} days, only while you are signed in.
      </p>
      <FormMessage kind={props.message?.kind ?? "success"} message={props.message?.text ?? null} />
      <form method="post" action="/profile/exports" hx-post="/profile/exports" hx-target="#your-data" hx-swap="outerHTML">
        <button type="submit" disabled={active}>
          {active ? "Your export is on its way" : "Request my data"}
        </button>
      </form>
      {props.exports.length ? (
        <ul class="export-list">
          {props.exports.map((item) => (
            <ExportItem item={item} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
