import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { confirmEmail, resendVerification } from "./email-verification";
import { emailConfirmInput } from "./input";

/** JSON under /api/auth/email: confirm an address with the token from its link, or have the sign-up link sent again. */
export function verifyEmailApi() {
  return new Hono<AppEnv>()
    .post("/email/verify", jsonBody(emailConfirmInput), async (c) => {
      const confirmed = await confirmEmail(c.var.deps, c.req.valid("json").token, c.var.session?.id ?? null, requestMeta(c));
      return c.json({ email: confirmed.email, purpose: confirmed.purpose, emailVerified: true });
    })
    .post("/email/resend", async (c) => {
      const { user } = requireUser(c);
      await resendVerification(c.var.deps, user.id, requestMeta(c));
      return c.json({ status: "sent" }, 202);
    });
}
