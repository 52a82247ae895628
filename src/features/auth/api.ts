import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { knownDeviceUser, rememberDevice } from "./known-device";
import { setPendingCookie } from "./pending-cookie";
import { clearSessionCookie, setSessionCookie } from "./session-cookie";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { emailChangeInput, loginInput, nameInput, passwordChangeInput, registerInput } from "./input";
import { changeEmail, changePassword, login, logout, register, revokeSession, updateName } from "./service";
import { listSessions } from "./sessions";

/** JSON under /api/auth: every endpoint takes the session cookie or `Authorization: Bearer <token>`. */
export function authApi() {
  return new Hono<AppEnv>()
    .post("/register", jsonBody(registerInput), async (c) => {
      const user = await register(c.var.deps, c.req.valid("json"), requestMeta(c));
      return c.json({ user }, 201);
    })
    .post("/login", jsonBody(loginInput), async (c) => {
      const result = await login(c.var.deps, c.req.valid("json"), requestMeta(c), await knownDeviceUser(c));
      if (result.pendingToken !== undefined) {
        // The password was right; POST /api/auth/login/two-factor { pendingToken, code } finishes.
        setPendingCookie(c, result.pendingToken);
        return c.json({ twoFactorRequired: true, pendingToken: result.pendingToken, methods: ["totp", "recovery"] });
      }
      setSessionCookie(c, result);
      await rememberDevice(c, result.user.id);
      return c.json({ token: result.token, expiresAt: new Date(result.session.expiresAt).toISOString(), user: result.user });
    })
    .post("/logout", async (c) => {
      const { user, session } = requireUser(c);
      await logout(c.var.deps, user.id, session.id, requestMeta(c));
      clearSessionCookie(c);
      return c.body(null, 204);
    })
    .get("/me", (c) => {
      const { user, session } = requireUser(c);
      return c.json({
        user,
        session: {
          id: session.publicId,
          createdAt: new Date(session.createdAt).toISOString(),
          expiresAt: new Date(session.idleExpiresAt).toISOString(),
        },
      });
    })
    .patch("/me", jsonBody(nameInput), async (c) => {
      const { user } = requireUser(c);
      return c.json({ user: await updateName(c.var.deps, user.id, c.req.valid("json").name, requestMeta(c)) });
    })
    .post("/email", jsonBody(emailChangeInput), async (c) => {
      const { user } = requireUser(c);
      // Nothing changes yet: the answer names the address waiting for its link to be followed.
      return c.json(await changeEmail(c.var.deps, user.id, c.req.valid("json"), requestMeta(c)), 202);
    })
    .post("/password", jsonBody(passwordChangeInput), async (c) => {
      const { user, session } = requireUser(c);
      const created = await changePassword(c.var.deps, user.id, c.req.valid("json"), requestMeta(c), session);
      setSessionCookie(c, created);
      return c.json({ token: created.token, expiresAt: new Date(created.session.expiresAt).toISOString() });
    })
    .get("/sessions", async (c) => {
      const { user, session } = requireUser(c);
      const sessions = await listSessions(c.var.deps, user.id, session.id);
      return c.json({
        sessions: sessions.map((s) => ({
          ...s,
          createdAt: new Date(s.createdAt).toISOString(),
          lastSeenAt: new Date(s.lastSeenAt).toISOString(),
          expiresAt: new Date(s.expiresAt).toISOString(),
          id: s.publicId,
          publicId: undefined,
        })),
      });
    })
    .delete("/sessions/:id", async (c) => {
      const { user } = requireUser(c);
      await revokeSession(c.var.deps, user.id, c.req.param("id"), requestMeta(c));
      return c.body(null, 204);
    });
}
