// Platform admins: /admin-portal/erasures (start one on request, cancel a pending one, read the
// proofs) and its JSON twin under /api/admin (erasures list, POST …/users/:id/erasure, DELETE …/erasures/:id).
import { Hono } from "hono";
import { ErasuresPage } from "../../../views/privacy/ErasuresPage";
import { answerForm, tryForm } from "../../http/forms";
import { render, redirectAfterPost } from "../../http/render";
import { requirePlatformAdmin, requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { jsonBody, parseForm } from "../../http/validate";
import { AppError } from "../../lib/errors";
import { adminErasureInput } from "./input";
import { adminCancelDeletion, adminRequestDeletion, deletionJson, listErasureProofs, listPendingErasures } from "./service";


const iso = (at: number) => new Date(at).toISOString().replace("T", " ").slice(0, 16) + " UTC";

async function pageData(c: AppContext) {
  const [pending, proofs] = await Promise.all([listPendingErasures(c.var.deps.db), listErasureProofs(c.var.deps.db)]);
  return {
    pending: pending.map((row) => ({ ...row, requestedAt: iso(row.requestedAt), eraseAfter: iso(row.eraseAfter), overdue: row.status === "pending" && row.eraseAfter <= c.var.deps.now() })),
    proofs: proofs.map((proof) => ({ ...proof, erasedAt: iso(proof.erasedAt) })),
    graceDays: c.var.deps.config.ERASURE_GRACE_DAYS,
  };
}

export function erasureAdminRoutes() {
  return new Hono<AppEnv>()
    .use("/admin-portal/erasures", requirePlatformAdmin)
    .use("/admin-portal/erasures/*", requirePlatformAdmin)
    .use("/api/admin/erasures", requirePlatformAdmin)
    .use("/api/admin/erasures/*", requirePlatformAdmin)
    .use("/api/admin/users/:id/erasure", requirePlatformAdmin)
    .get("/admin-portal/erasures", async (c) => {
      const data = await pageData(c);
      const done = c.req.query("done") === "started" ? "The erasure is scheduled; the account is disabled." : c.req.query("done") === "cancelled" ? "The erasure is cancelled." : null;
      return render(c, { title: "Erasures", fragment: <ErasuresPage {...data} done={done} /> });
    })
    .post("/admin-portal/erasures", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, adminErasureInput);
      const show = async (status: 400 | 404 | 409 | 422, errors: Record<string, string[]>, message: string | null) => {
        const page = <ErasuresPage {...await pageData(c)} values={form.values} errors={errors} message={message} />;
        return answerForm(c, { ok: false, title: "Erasures", status, fragment: page, page: () => page });
      };
      if (!form.ok) return show(422, form.errors, null);
      const done = await tryForm(c, () => adminRequestDeletion(c.var.deps, user.id, form.data.userId, form.data, requestMeta(c)), { alsoShow: [404], invalidStatus: 422 });
      if (!done.ok) {
        const blocks = (done.error.details.blocks as Array<{ name: string; kind: string }> | undefined) ?? [];
        const message = blocks.length ? `${done.message} ${blocks.map((b) => `${b.name} (${b.kind})`).join(", ")}` : done.message;
        return show(done.status as 400 | 404 | 409 | 422, done.error.fieldErrors, message);
      }
      return redirectAfterPost(c, "/admin-portal/erasures?done=started");
    })
    .post("/admin-portal/erasures/:id/cancel", async (c) => {
      const { user } = requireUser(c);
      await adminCancelDeletion(c.var.deps, user.id, c.req.param("id"), requestMeta(c));
      return redirectAfterPost(c, "/admin-portal/erasures?done=cancelled");
    })
    .get("/api/admin/erasures", async (c) => {
      const [pending, proofs] = await Promise.all([listPendingErasures(c.var.deps.db), listErasureProofs(c.var.deps.db)]);
      return c.json({
        pending: pending.map((row) => ({ ...deletionJson(row), userId: row.userId, name: row.name, email: row.email, reason: row.reason })),
        proofs: proofs.map((proof) => ({ ...proof, erasedAt: new Date(proof.erasedAt).toISOString(), requestedAt: new Date(proof.requestedAt).toISOString() })),
      });
    })
    .post("/api/admin/users/:id/erasure", jsonBody(adminErasureInput.omit({ userId: true })), async (c) => {
      const { user } = requireUser(c);
      const deletion = await adminRequestDeletion(c.var.deps, user.id, c.req.param("id"), c.req.valid("json"), requestMeta(c));
      return c.json({ deletion: deletionJson(deletion) }, 202);
    })
    .delete("/api/admin/erasures/:id", async (c) => {
      const { user } = requireUser(c);
      await adminCancelDeletion(c.var.deps, user.id, c.req.param("id"), requestMeta(c));
      return c.body(null, 204);
    });
}
