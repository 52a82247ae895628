// Reading an uploaded .ics for an import, shared by the JSON route and the settings form: the body limit of its own
// (the app's 1 MB one skips these paths), the hourly limit per person, and the file from either a text/calendar
// body or a multipart form's `file` field.
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppContext, AppEnv } from "../../../http/types";
import { AppError, validationError } from "../../../lib/errors";
import { enforceLimit } from "../../ratelimit";
import { decodeIcs } from "./parse";

/** Larger than a 5 MB feed with room to spare; a calendar holds 20,000 events at most anyway. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
const FORM_OVERHEAD_BYTES = 64 * 1024;
const IMPORTS_PER_HOUR = 30;

const IMPORT_PATH = /^\/(api\/calendars|calendar\/calendars)\/[^/]+\/import$/;

/** Paths whose body limit is importLimit's. */
export function isCalendarImport(method: string, path: string): boolean {
  return method === "POST" && IMPORT_PATH.test(path);
}

export function importLimit() {
  return createMiddleware<AppEnv>((c, next) =>
    bodyLimit({
      maxSize: MAX_IMPORT_BYTES + FORM_OVERHEAD_BYTES,
      onError: () => {
        throw new AppError(413, "payload_too_large", `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`, { fieldErrors: { file: [`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`] } });
      },
    })(c, next),
  );
}

export async function limitImports(c: AppContext, userId: string): Promise<void> {
  const deps = c.var.deps;
  await enforceLimit(deps, { bucket: `calendar-import:${userId}`, max: IMPORTS_PER_HOUR, windowMs: 3600_000 }, `At most ${IMPORTS_PER_HOUR} imports an hour; try again later.`);
}

const IMPORT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** The uploaded text and the id the page listens for progress under (optional). */
export async function readUpload(c: AppContext): Promise<{ text: string; importId: string | undefined }> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  const queryId = c.req.query("importId");
  if (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded")) {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const file = form.file;
    const importId = typeof form.importId === "string" ? form.importId : queryId;
    if (!(file instanceof File) || file.size === 0) throw validationError({ file: ["Choose an .ics file to import."] });
    return { text: decodeIcs(new Uint8Array(await file.arrayBuffer())), importId: importId && IMPORT_ID.test(importId) ? importId : undefined };
  }
  if (type.startsWith("text/calendar") || type.startsWith("text/plain") || type.startsWith("application/octet-stream")) {
    const text = decodeIcs(new Uint8Array(await c.req.arrayBuffer()));
    if (text.trim() === "") throw validationError({ file: ["The body is empty: send the .ics file's text."] });
    return { text, importId: queryId && IMPORT_ID.test(queryId) ? queryId : undefined };
  }
  throw new AppError(415, "unsupported_media_type", "Send the .ics file as text/calendar, or as the `file` field of a multipart form.");
}
