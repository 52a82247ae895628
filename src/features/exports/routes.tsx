// Pages of "download your data": the profile's section (a fragment that reloads itself on the live
// stream), the request form, the owner-only download, and the platform admins' request page.
import { Hono } from "hono";
import { AdminExportsPage } from "../../../views/privacy/AdminExportsPage";
import { ExportSection, type ExportSectionProps } from "../../../views/privacy/ExportSection";
import { answerForm, tryForm } from "../../http/forms";
import { render } from "../../http/render";
import { requirePlatformAdmin, requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import { AppError } from "../../lib/errors";
import type { PersonalDataSource } from "../privacy";
import { adminRequestedExports, exportSection } from "./admin";
import { findAccount, findExport, requestExport } from "./exports";
import { adminExportInput, exportIdParam } from "./input";
import { kickExports } from "./kick";

async function section(c: AppContext, userId: string, message: ExportSectionProps["message"] = null) {
  return <ExportSection {...await exportSection(c.var.deps, userId)} message={message} />;
}

export function exportPages(sources: readonly PersonalDataSource[]) {
  return new Hono<AppEnv>()
    .get("/profile/exports", async (c) => {
      const { user } = requireUser(c);
      const fragment = await section(c, user.id);
      return render(c, { title: "Download your data", fragment });
    })
    .post("/profile/exports", async (c) => {
      const { user } = requireUser(c);
      const asked = await tryForm(c, () => requestExport(c.var.deps, user.id, { adminId: null, reason: null, meta: requestMeta(c) }));
      if (!asked.ok) {
        const fragment = await section(c, user.id, { kind: "error", text: asked.message });
        return answerForm(c, { ok: false, status: asked.status, title: "Download your data", fragment });
      }
      if (asked.value.created) kickExports(c, sources);
      const text = asked.value.created ? "Your export is on its way. We will tell you when it is ready." : "Your export is already on its way.";
      return answerForm(c, { ok: true, redirect: "/profile#your-data", fragment: () => section(c, user.id, { kind: "success", text }) });
    })
    .get("/me/exports/:id/download", async (c) => {
      const { user } = requireUser(c);
      const id = exportIdParam.safeParse({ id: c.req.param("id") });
      if (!id.success) throw new AppError(404, "not_found", "There is no such export.");
      const row = await findExport(c.var.deps.db, user.id, id.data.id);
      if (row.status !== "ready" || row.storageKey === null || row.expiresAt === null || row.expiresAt <= c.var.deps.now()) {
        throw new AppError(404, "not_found", "This export is not ready, or it has expired and was deleted.");
      }
      const object = await c.var.deps.storage.get(row.storageKey);
      if (!object) throw new AppError(404, "not_found", "This export has been deleted.");
      const day = new Date(row.createdAt).toISOString().slice(0, 10);
      return c.body(object.body as ReadableStream | Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": "application/zip",
        "Content-Disposition": `attachment; filename="block-on-block-data-${day}.zip"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        ...(row.size !== null ? { "Content-Length": String(row.size) } : {}),
      });
    });
}

export function exportAdminPages(sources: readonly PersonalDataSource[]) {
  const page = async (c: AppContext, extra: Partial<Parameters<typeof AdminExportsPage>[0]> = {}) => <AdminExportsPage requests={await adminRequestedExports(c.var.deps)} {...extra} />;
  return new Hono<AppEnv>()
    .use("/admin-portal/exports", requirePlatformAdmin)
    .get("/admin-portal/exports", async (c) => {
      const done = c.req.query("done") === "started" ? "The export is queued. It goes to the person (a notification and an email), not to you." : null;
      return render(c, { title: "Data exports · Admin", fragment: await page(c, { done }) });
    })
    .post("/admin-portal/exports", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, adminExportInput);
      if (!form.ok) {
        const fragment = await page(c, { values: form.values, errors: form.errors });
        return answerForm(c, { ok: false, status: 422, title: "Data exports · Admin", fragment });
      }
      const started = await tryForm(
        c,
        async () => {
          const account = await findAccount(c.var.deps.db, form.data.user);
          return requestExport(c.var.deps, account.id, { adminId: user.id, reason: form.data.reason, meta: requestMeta(c) });
        },
        { alsoShow: [404] },
      );
      if (!started.ok) {
        const fragment = await page(c, { values: form.values, errors: started.errors });
        return answerForm(c, { ok: false, status: started.status, title: "Data exports · Admin", fragment });
      }
      if (started.value.created) kickExports(c, sources);
      return answerForm(c, { ok: true, redirect: "/admin-portal/exports?done=started" });
    });
}
