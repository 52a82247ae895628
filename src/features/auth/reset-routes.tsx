// "Forgot your password?": /forgot-password asks for the address, /reset-password/:token sets the new
// password. The JSON twins are in reset-api.ts.
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ForgotPasswordForm, ForgotPasswordPage, ResetPasswordForm, ResetPasswordPage } from "../../../views/auth/PasswordResetPages";
import { answerForm, tryForm } from "../../http/forms";
import { render } from "../../http/render";
import { requestMeta, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import type { FieldErrors } from "../../lib/errors";
import { resetPasswordInput, resetRequestInput } from "./input";
import { requestPasswordReset, resetLinkWorks, resetPassword } from "./password-reset";

export function passwordResetRoutes() {
  return new Hono<AppEnv>()
    .get("/forgot-password", (c) => {
      const sent = c.req.query("sent") === "1";
      return render(c, { title: "Forgot your password?", fragment: <ForgotPasswordForm sent={sent} />, page: () => <ForgotPasswordPage sent={sent} /> });
    })
    .post("/forgot-password", async (c) => {
      const form = await parseForm(c, resetRequestInput);
      const show = (status: ContentfulStatusCode, props: { errors?: FieldErrors; message?: string }) =>
        answerForm(c, {
          ok: false,
          title: "Forgot your password?",
          status,
          fragment: <ForgotPasswordForm values={form.values} {...props} />,
          page: () => <ForgotPasswordPage values={form.values} {...props} />,
        });
      if (!form.ok) return show(422, { errors: form.errors });
      const asked = await tryForm(c, () => requestPasswordReset(c.var.deps, form.data.email, requestMeta(c)));
      if (!asked.ok) return show(asked.status, { message: asked.message });
      return answerForm(c, { ok: true, redirect: "/forgot-password?sent=1", title: "Forgot your password?", fragment: <ForgotPasswordForm sent /> });
    })
    .get("/reset-password/:token", async (c) => {
      const token = c.req.param("token");
      const linkWorks = await resetLinkWorks(c.var.deps, token);
      return render(c, {
        title: "Choose a new password",
        status: linkWorks ? 200 : 400,
        fragment: <ResetPasswordPage action={`/reset-password/${token}`} linkWorks={linkWorks} />,
      });
    })
    .post("/reset-password/:token", async (c) => {
      const token = c.req.param("token");
      const action = `/reset-password/${token}`;
      const form = await parseForm(c, resetPasswordInput);
      const show = (status: ContentfulStatusCode, props: { errors?: FieldErrors; message?: string; linkWorks?: boolean }) =>
        answerForm(c, {
          ok: false,
          title: "Choose a new password",
          status,
          fragment: props.linkWorks === false ? <ResetPasswordPage action={action} linkWorks={false} /> : <ResetPasswordForm action={action} {...props} />,
          page: () => <ResetPasswordPage action={action} linkWorks={props.linkWorks ?? true} {...props} />,
        });
      if (!form.ok) return show(422, { errors: form.errors });
      const reset = await tryForm(c, () => resetPassword(c.var.deps, token, form.data.newPassword, requestMeta(c)), { invalidStatus: 422 });
      if (!reset.ok) {
        if (reset.error.code === "reset_link_invalid") return show(400, { linkWorks: false });
        return show(reset.status, { errors: reset.errors });
      }
      return answerForm(c, { ok: true, redirect: "/login?reset=done" });
    });
}
