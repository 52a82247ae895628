// The pages: the profile's "Delete my account" form (POST /profile/deletion), the page after it
// (/account/deleted), and the grace period's sign-in offer (/account/deletion, …/cancel, …/keep).
import { Hono } from "hono";
import { z } from "zod";
import { DeletionOfferPage, DeletionScheduledPage, DeletionSection } from "../../../views/privacy/DeletionSection";
import { answerForm, tryForm } from "../../http/forms";
import { redirectAfterPost, render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import { clearPendingCookie, clearSessionCookie, hasPassword, pendingCookie, setSessionCookie } from "../auth";
import { cancelByOffer, declineOffer, offerDetails, requestDeletion, type OwnershipBlock } from "./service";

/** A date people read: "5 December 2026" (UTC). */
export const readableDate = (at: number) => new Date(at).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

const deletionForm = z.object({ password: z.string().max(1024).optional(), confirm: z.literal("yes", { message: "Tick the box to confirm." }) });

export function erasurePages() {
  return new Hono<AppEnv>()
    .post("/profile/deletion", async (c) => {
      const { user, session } = requireUser(c);
      const form = await parseForm(c, deletionForm);
      const withPassword = await hasPassword(c.var.deps, user.id);
      const graceDays = c.var.deps.config.ERASURE_GRACE_DAYS;
      const show = (status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429, props: { errors?: Record<string, string[]>; message?: string | null; blocks?: OwnershipBlock[] }) => {
        const section = <DeletionSection hasPassword={withPassword} graceDays={graceDays} {...props} />;
        return answerForm(c, { ok: false, title: "Delete my account", status, fragment: section, page: () => section });
      };
      if (!form.ok) return show(422, { errors: form.errors, message: form.errors.confirm?.[0] ?? null });
      const done = await tryForm(c, () => requestDeletion(c.var.deps, user.id, session, form.data.password, requestMeta(c)), { alsoShow: [403], invalidStatus: 422 });
      if (!done.ok) return show(done.status, { errors: done.error.fieldErrors, message: done.message, blocks: (done.error.details.blocks as OwnershipBlock[] | undefined) ?? [] });
      clearSessionCookie(c);
      return redirectAfterPost(c, `/account/deleted?on=${encodeURIComponent(readableDate(done.value.eraseAfter))}`);
    })
    .get("/account/deleted", (c) => {
      const on = c.req.query("on");
      const eraseAfter = on && /^[\w ]{1,40}$/.test(on) ? on : null;
      return render(c, { title: "Account scheduled for deletion", fragment: <DeletionScheduledPage eraseAfter={eraseAfter} /> });
    })
    .get("/account/deletion", async (c) => {
      const token = pendingCookie(c);
      const offer = token ? await offerDetails(c.var.deps, token) : null;
      if (!offer) return c.redirect("/login", 303);
      return render(c, { title: "Account scheduled for deletion", fragment: <DeletionOfferPage eraseAfter={readableDate(offer.eraseAfter)} /> });
    })
    .post("/account/deletion/cancel", async (c) => {
      const token = pendingCookie(c);
      clearPendingCookie(c);
      if (!token) return redirectAfterPost(c, "/login");
      const opened = await tryForm(c, () => cancelByOffer(c.var.deps, token, requestMeta(c)), { alsoShow: [401, 403] });
      if (!opened.ok) return redirectAfterPost(c, opened.error.code === "account_disabled" ? "/login?error=disabled" : "/login");
      setSessionCookie(c, opened.value);
      return redirectAfterPost(c, "/home");
    })
    .post("/account/deletion/keep", async (c) => {
      const token = pendingCookie(c);
      clearPendingCookie(c);
      if (token) await declineOffer(c.var.deps, token);
      return redirectAfterPost(c, "/login");
    });
}
