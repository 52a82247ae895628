import { Hono } from "hono";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { AppError } from "../../lib/errors";
import { identityInput, passkeyRegisterInput, passkeyRenameInput, passkeySecondStepInput, passkeySignInInput, pendingTokenInput } from "./input";
import { clearPendingCookie, pendingCookie } from "./pending-cookie";
import { rememberDevice } from "./known-device";
import { completeWithPasskey, listPasskeys, passkeyRegistrationOptions, passkeySecondStepOptions, passkeySignInOptions, registerPasskey, removePasskey, renamePasskey, signInWithPasskey } from "./passkeys";
import { setSessionCookie } from "./session-cookie";

/** JSON under /api/auth/passkeys: the WebAuthn ceremonies (static/passkeys.js drives them) and the list. */
export function passkeyApi() {
  return new Hono<AppEnv>()
    .post("/passkeys/signin/options", async (c) => c.json(await passkeySignInOptions(c.var.deps)))
    .post("/passkeys/signin", jsonBody(passkeySignInInput), async (c) => {
      const input = c.req.valid("json");
      const done = await signInWithPasskey(c.var.deps, { challengeId: input.challengeId, response: input.response as unknown as AuthenticationResponseJSON }, requestMeta(c));
      setSessionCookie(c, done);
      await rememberDevice(c, done.user.id);
      return c.json({ token: done.token, expiresAt: new Date(done.session.expiresAt).toISOString(), user: done.user });
    })
    // The second step of a password (or provider) sign-in, answered with a passkey of that account.
    .post("/login/two-factor/passkey/options", jsonBody(pendingTokenInput), async (c) => {
      const token = c.req.valid("json").pendingToken ?? pendingCookie(c);
      if (!token) throw new AppError(401, "sign_in_expired", "Sign in with your password first.");
      return c.json(await passkeySecondStepOptions(c.var.deps, token));
    })
    .post("/login/two-factor/passkey", jsonBody(passkeySecondStepInput), async (c) => {
      const input = c.req.valid("json");
      const token = input.pendingToken ?? pendingCookie(c);
      if (!token) throw new AppError(401, "sign_in_expired", "Sign in with your password first.");
      const done = await completeWithPasskey(c.var.deps, token, { challengeId: input.challengeId, response: input.response as unknown as AuthenticationResponseJSON }, requestMeta(c));
      clearPendingCookie(c);
      setSessionCookie(c, done);
      await rememberDevice(c, done.user.id);
      return c.json({ token: done.token, expiresAt: new Date(done.session.expiresAt).toISOString(), user: done.user });
    })
    .get("/passkeys", async (c) => {
      const { user } = requireUser(c);
      return c.json({ passkeys: await listPasskeys(c.var.deps, user.id) });
    })
    .post("/passkeys/options", jsonBody(identityInput), async (c) => {
      const { user, session } = requireUser(c);
      return c.json(await passkeyRegistrationOptions(c.var.deps, user.id, session, c.req.valid("json").currentPassword));
    })
    .post("/passkeys", jsonBody(passkeyRegisterInput), async (c) => {
      const { user, session } = requireUser(c);
      const input = c.req.valid("json");
      const passkey = await registerPasskey(c.var.deps, user.id, session.id, { ...input, response: input.response as unknown as RegistrationResponseJSON }, requestMeta(c));
      return c.json({ passkey }, 201);
    })
    .patch("/passkeys/:id", jsonBody(passkeyRenameInput), async (c) => {
      const { user } = requireUser(c);
      await renamePasskey(c.var.deps, user.id, c.req.param("id"), c.req.valid("json").name);
      return c.body(null, 204);
    })
    .delete("/passkeys/:id", jsonBody(identityInput), async (c) => {
      const { user, session } = requireUser(c);
      await removePasskey(c.var.deps, user.id, session, c.req.param("id"), c.req.valid("json").currentPassword, requestMeta(c));
      return c.body(null, 204);
    });
}
