import { Hono } from "hono";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { resetConfirmInput, resetRequestInput } from "./input";
import { requestPasswordReset, resetPassword } from "./password-reset";

/** JSON under /api/auth: ask for a reset link (202 whether or not the address has an account), then use it. */
export function passwordResetApi() {
  return new Hono<AppEnv>()
    .post("/password-reset", jsonBody(resetRequestInput), async (c) => {
      await requestPasswordReset(c.var.deps, c.req.valid("json").email, requestMeta(c));
      return c.json({ status: "sent_if_the_account_exists" }, 202);
    })
    .post("/password-reset/confirm", jsonBody(resetConfirmInput), async (c) => {
      const { token, newPassword } = c.req.valid("json");
      await resetPassword(c.var.deps, token, newPassword, requestMeta(c));
      return c.body(null, 204);
    });
}
