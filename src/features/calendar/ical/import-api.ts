// iCalendar in: POST /api/calendars/:id/import with the file as text/calendar (or a multipart form's `file`);
// answers the report (created, updated, unchanged, removed, skipped with reasons, notes). With ?importId= the
// importer's open pages hear the progress on their event stream.
import { Hono } from "hono";
import { requireUser } from "../../../http/require-user";
import { requestMeta, type AppEnv } from "../../../http/types";
import { importIcs } from "./import";
import { importLimit, limitImports, readUpload } from "./upload";

export function importApi() {
  return new Hono<AppEnv>().post("/api/calendars/:id/import", importLimit(), async (c) => {
    const { user } = requireUser(c);
    await limitImports(c, user.id);
    const { text, importId } = await readUpload(c);
    const report = await importIcs(c.var.deps, user.id, c.req.param("id"), text, { importId, meta: requestMeta(c) });
    return c.json({ import: report });
  });
}
