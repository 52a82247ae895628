// JSON: POST /api/me/deletion {password} → 202, DELETE /api/me/deletion cancels (with the session
// the offer's cancel opened, or {pendingToken} from the 409 of a sign-in during the grace period).
import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { AppError, validationError } from "../../lib/errors";
import { clearSessionCookie, setSessionCookie } from "../auth";
import { deletionCancelInput, deletionRequestInput } from "./input";
import { cancelByOffer, cancelBySession, deletionJson, requestDeletion } from "./service";

export function erasureApi() {
  return new Hono<AppEnv>()
    .post("/api/me/deletion", jsonBody(deletionRequestInput), async (c) => {
      const { user, session } = requireUser(c);
      const deletion = await requestDeletion(c.var.deps, user.id, session, c.req.valid("json").password, requestMeta(c));
      // Every session has ended, this one included.
      clearSessionCookie(c);
      return c.json({ deletion: deletionJson(deletion), cancel: "Sign in before the date to cancel." }, 202);
    })
    .delete("/api/me/deletion", async (c) => {
      const raw = (c.req.header("content-type") ?? "").includes("json") ? await c.req.json().catch(() => null) : {};
      const input = deletionCancelInput.safeParse(raw ?? {});
      if (!input.success) throw validationError({ pendingToken: ["A pending sign-in token, as the sign-in answered."] });
      if (input.data.pendingToken) {
        const opened = await cancelByOffer(c.var.deps, input.data.pendingToken, requestMeta(c));
        setSessionCookie(c, opened);
        return c.json({ cancelled: true, token: opened.token, expiresAt: new Date(opened.session.expiresAt).toISOString(), user: opened.user });
      }
      if (!c.var.user) throw new AppError(401, "unauthenticated", "Sign in (the answer offers to cancel the deletion), or send the pendingToken it gave.");
      await cancelBySession(c.var.deps, c.var.user.id, requestMeta(c));
      return c.json({ cancelled: true });
    });
}
