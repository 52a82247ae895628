import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { AppError } from "../../lib/errors";
import { identityInput, secondStepJsonInput, totpConfirmInput, twoFactorOffInput } from "./input";
import { rememberDevice } from "./known-device";
import { clearPendingCookie, pendingCookie } from "./pending-cookie";
import { setSessionCookie } from "./session-cookie";
import { completePendingSignIn, confirmTotpSetup, disableTwoFactor, regenerateRecoveryCodes, startTotpSetup, twoFactorStatus } from "./two-factor";

/** JSON under /api/auth: the second step of a sign-in, and managing two-factor sign-in. */
export function twoFactorApi() {
  return new Hono<AppEnv>()
    .post("/login/two-factor", jsonBody(secondStepJsonInput), async (c) => {
      const { pendingToken, code } = c.req.valid("json");
      const token = pendingToken ?? pendingCookie(c);
      if (!token) throw new AppError(401, "sign_in_expired", "Sign in with your password first.");
      const done = await completePendingSignIn(c.var.deps, token, code, requestMeta(c));
      clearPendingCookie(c);
      setSessionCookie(c, done);
      await rememberDevice(c, done.user.id);
      return c.json({ token: done.token, expiresAt: new Date(done.session.expiresAt).toISOString(), user: done.user });
    })
    .get("/two-factor", async (c) => {
      const { user } = requireUser(c);
      return c.json(await twoFactorStatus(c.var.deps, user.id));
    })
    .post("/two-factor/setup", jsonBody(identityInput), async (c) => {
      const { user, session } = requireUser(c);
      return c.json(await startTotpSetup(c.var.deps, user.id, session, c.req.valid("json").currentPassword));
    })
    .post("/two-factor/confirm", jsonBody(totpConfirmInput), async (c) => {
      const { user, session } = requireUser(c);
      return c.json({ recoveryCodes: await confirmTotpSetup(c.var.deps, user.id, session.id, c.req.valid("json").code, requestMeta(c)) });
    })
    .post("/two-factor/recovery-codes", jsonBody(identityInput), async (c) => {
      const { user, session } = requireUser(c);
      return c.json({ recoveryCodes: await regenerateRecoveryCodes(c.var.deps, user.id, session, c.req.valid("json").currentPassword, requestMeta(c)) });
    })
    .post("/two-factor/disable", jsonBody(twoFactorOffInput), async (c) => {
      const { user, session } = requireUser(c);
      await disableTwoFactor(c.var.deps, user.id, session, c.req.valid("json"), requestMeta(c));
      return c.body(null, 204);
    });
}
