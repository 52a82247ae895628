// Disconnecting a sign-in provider from the profile (connecting one is the OAuth flow, oauth-routes.tsx).
import { Hono } from "hono";
import { ProviderSection } from "../../../views/profile/fragments/ProviderSection";
import { tryForm } from "../../http/forms";
import { redirectAfterPost, render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import { identityInput } from "./input";
import { linkedProviders, unlinkProvider } from "./linked-providers";
import { configuredProviders } from "./providers";
import { hasPassword } from "./service";

export function providerRoutes() {
  return new Hono<AppEnv>().post("/profile/providers/:provider/unlink", async (c) => {
    const { user, session } = requireUser(c);
    const form = await parseForm(c, identityInput);
    const done = await tryForm(c, () => unlinkProvider(c.var.deps, user.id, session, c.req.param("provider"), form.values.currentPassword, requestMeta(c)), { alsoShow: [403, 404] });
    if (done.ok) return redirectAfterPost(c, "/profile#providers");
    const [linked, withPassword] = await Promise.all([linkedProviders(c.var.deps, user.id), hasPassword(c.var.deps, user.id)]);
    const available = configuredProviders(c.var.deps.config)
      .filter((p) => !linked.some((l) => l.provider === p.id))
      .map(({ id, label }) => ({ id, label }));
    return render(c, {
      title: "Sign-in providers",
      status: done.status,
      fragment: <ProviderSection linked={linked} available={available} hasPassword={withPassword} message={{ kind: "error", text: done.message }} />,
    });
  });
}
