// Confirming an address: /verify-email/:token (a page with a button; the post confirms) and
// /verify-email/resend (the banner's button). The JSON twins are in verify-api.ts.
import { Hono } from "hono";
import { EmailConfirmedPage, VerifyBanner, VerifyEmailPage } from "../../../views/auth/VerifyEmailPage";
import { tryForm } from "../../http/forms";
import { render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { confirmEmail, resendVerification, verificationFor } from "./email-verification";

export function verifyEmailRoutes() {
  return new Hono<AppEnv>()
    .post("/verify-email/resend", async (c) => {
      const { user } = requireUser(c);
      const sent = await tryForm(c, () => resendVerification(c.var.deps, user.id, requestMeta(c)), { alsoShow: [] });
      const banner = sent.ok ? <VerifyBanner email={user.email} sent /> : <VerifyBanner email={user.email} message={sent.message} />;
      return render(c, { title: "Confirm your email address", status: sent.ok ? 200 : sent.status, fragment: banner });
    })
    .get("/verify-email/:token", async (c) => {
      const action = `/verify-email/${c.req.param("token")}`;
      const found = await verificationFor(c.var.deps, c.req.param("token"));
      return render(c, {
        title: "Confirm your email address",
        status: found ? 200 : 400,
        fragment: <VerifyEmailPage action={action} email={found?.email ?? null} purpose={found?.purpose} />,
      });
    })
    .post("/verify-email/:token", async (c) => {
      const action = `/verify-email/${c.req.param("token")}`;
      const confirmed = await tryForm(c, () => confirmEmail(c.var.deps, c.req.param("token"), c.var.session?.id ?? null, requestMeta(c)));
      if (!confirmed.ok) {
        return render(c, { title: "Confirm your email address", status: confirmed.status, fragment: <VerifyEmailPage action={action} email={null} /> });
      }
      // The header's banner reads the user from this request: confirmed now, it goes.
      if (c.var.user && c.var.user.email === confirmed.value.email) c.set("user", { ...c.var.user, emailVerified: true });
      if (c.var.user && confirmed.value.purpose === "change") c.set("user", { ...c.var.user, email: confirmed.value.email, emailVerified: true });
      return render(c, { title: "Address confirmed", fragment: <EmailConfirmedPage email={confirmed.value.email} signedIn={c.var.user !== null} /> });
    });
}
