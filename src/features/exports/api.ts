import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { pathParams } from "../../http/validate";
import type { PersonalDataSource } from "../privacy";
import { exportView, findExport, listExports, requestExport } from "./exports";
import { exportIdParam } from "./input";
import { kickExports } from "./kick";

/** JSON under /api/me/exports: only ever the caller's own exports. */
export function exportApi(sources: readonly PersonalDataSource[]) {
  return new Hono<AppEnv>()
    .post("/exports", async (c) => {
      const { user } = requireUser(c);
      const { row, created } = await requestExport(c.var.deps, user.id, { adminId: null, reason: null, meta: requestMeta(c) });
      if (created) kickExports(c, sources);
      return c.json({ export: exportView(row, c.var.deps.now()), created }, 202);
    })
    .get("/exports", async (c) => {
      const { user } = requireUser(c);
      const now = c.var.deps.now();
      return c.json({ exports: (await listExports(c.var.deps.db, user.id)).map((row) => exportView(row, now)) });
    })
    .get("/exports/:id", pathParams(exportIdParam), async (c) => {
      const { user } = requireUser(c);
      return c.json({ export: exportView(await findExport(c.var.deps.db, user.id, c.req.valid("param").id), c.var.deps.now()) });
    });
}
