// The profile's passkey list without JavaScript: rename and remove (adding needs WebAuthn, in the
// browser, through passkey-api.ts).
import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { redirectAfterPost } from "../../http/render";
import { tryForm } from "../../http/forms";
import { render } from "../../http/render";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import { PasskeySection } from "../../../views/profile/fragments/PasskeySection";
import { identityInput, passkeyRenameInput } from "./input";
import { listPasskeys, removePasskey, renamePasskey } from "./passkeys";
import { hasPassword } from "./service";

async function section(c: AppContext, status: 400 | 403 | 404 | 422 | 429, text: string) {
  const { user } = requireUser(c);
  const [list, withPassword] = await Promise.all([listPasskeys(c.var.deps, user.id), hasPassword(c.var.deps, user.id)]);
  return render(c, { title: "Passkeys", status, fragment: <PasskeySection passkeys={list} hasPassword={withPassword} message={{ kind: "error", text }} /> });
}

export function passkeyRoutes() {
  return new Hono<AppEnv>()
    .post("/profile/passkeys/:id/rename", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, passkeyRenameInput);
      if (!form.ok) return section(c, 422, form.errors.name?.[0] ?? "Give the passkey a name.");
      const renamed = await tryForm(c, () => renamePasskey(c.var.deps, user.id, c.req.param("id"), form.data.name), { alsoShow: [404] });
      if (!renamed.ok) return section(c, renamed.status as 404, renamed.message);
      return redirectAfterPost(c, "/profile#passkeys");
    })
    .post("/profile/passkeys/:id/delete", async (c) => {
      const { user, session } = requireUser(c);
      const form = await parseForm(c, identityInput);
      const removed = await tryForm(c, () => removePasskey(c.var.deps, user.id, session, c.req.param("id"), form.values.currentPassword, requestMeta(c)), { alsoShow: [403, 404] });
      if (!removed.ok) return section(c, removed.status as 400, removed.message);
      return redirectAfterPost(c, "/profile#passkeys");
    });
}
