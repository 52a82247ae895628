// The admin portal's module review (/admin-portal/modules): the same services as /api/admin/modules, as forms.
import { Hono } from "hono";
import { ReviewPage } from "../../../views/modules/ReviewPage";
import { tryForm } from "../../http/forms";
import { redirectAfterPost, render } from "../../http/render";
import { requirePlatformAdmin, requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { readForm } from "../../http/validate";
import { validationError } from "../../lib/errors";
import { rejectInput } from "./input";
import { priceWords } from "./marketplace";
import { approveVersion, rejectVersion, reviewQueue, setSuspended } from "./review";

const DONE: Record<string, string> = { approved: "Approved.", rejected: "Rejected; the developer is told why.", suspended: "Suspended everywhere.", unsuspended: "The suspension is lifted." };

async function showQueue(c: AppContext, error: string | null = null, status: 200 | 400 | 404 | 409 = 200) {
  const rows = (await reviewQueue(c.var.deps.db)).map((r) => ({
    module: { id: r.module.id, name: r.module.name, slug: r.module.slug, status: r.module.status, suspendedReason: r.module.suspendedReason, developer: r.developer ?? "a former developer" },
    version: {
      version: r.version.version,
      state: r.version.state,
      entryUrl: r.version.manifest.entryUrl,
      webhookUrl: r.version.manifest.webhookUrl,
      scopes: r.version.manifest.scopes,
      price: priceWords(r.version.manifest.pricing),
      rejectedReason: r.version.rejectedReason,
      submittedAt: new Date(r.version.submittedAt).toISOString().slice(0, 10),
    },
  }));
  return render(c, { title: "Modules", status, fragment: <ReviewPage rows={rows} message={DONE[c.req.query("done") ?? ""] ?? null} error={error} /> });
}

/** A reason from the form, or a 400 shown at the top of the page. */
async function reasonOf(c: AppContext): Promise<string> {
  const parsed = rejectInput.safeParse({ reason: (await readForm(c)).values.reason ?? "" });
  if (!parsed.success) throw validationError({ reason: parsed.error.issues.map((i) => i.message) }, "Give a reason.");
  return parsed.data.reason;
}

export function reviewRoutes() {
  return new Hono<AppEnv>()
    .use("/admin-portal/modules", requirePlatformAdmin)
    .use("/admin-portal/modules/*", requirePlatformAdmin)
    .get("/admin-portal/modules", (c) => showQueue(c))
    .post("/admin-portal/modules/:id/versions/:version/approve", async (c) => {
      const { user } = requireUser(c);
      await approveVersion(c.var.deps, user.id, c.req.param("id"), c.req.param("version"), requestMeta(c));
      return redirectAfterPost(c, "/admin-portal/modules?done=approved");
    })
    .post("/admin-portal/modules/:id/versions/:version/reject", async (c) => {
      const { user } = requireUser(c);
      const done = await tryForm(c, async () => rejectVersion(c.var.deps, user.id, c.req.param("id"), c.req.param("version"), await reasonOf(c), requestMeta(c)));
      if (!done.ok) return showQueue(c, done.message, done.status as 400 | 409);
      return redirectAfterPost(c, "/admin-portal/modules?done=rejected");
    })
    .post("/admin-portal/modules/:id/suspend", async (c) => {
      const { user } = requireUser(c);
      const done = await tryForm(c, async () => setSuspended(c.var.deps, user.id, c.req.param("id"), await reasonOf(c), requestMeta(c)));
      if (!done.ok) return showQueue(c, done.message, done.status as 400);
      return redirectAfterPost(c, "/admin-portal/modules?done=suspended");
    })
    .post("/admin-portal/modules/:id/unsuspend", async (c) => {
      const { user } = requireUser(c);
      await setSuspended(c.var.deps, user.id, c.req.param("id"), null, requestMeta(c));
      return redirectAfterPost(c, "/admin-portal/modules?done=unsuspended");
    });
}
