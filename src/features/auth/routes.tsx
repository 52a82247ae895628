// The sign-in pages: / (where to go), /login, /register and /logout. The profile is src/pages/profile-routes.tsx.
import { Hono } from "hono";
import { LoginForm } from "../../../views/auth/fragments/LoginForm";
import { RegisterForm } from "../../../views/auth/fragments/RegisterForm";
import { LoginPage } from "../../../views/auth/LoginPage";
import { RegisterLocation, RegisterPage } from "../../../views/auth/RegisterPage";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { answerForm, tryForm } from "../../http/forms";
import { render } from "../../http/render";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import type { FieldErrors } from "../../lib/errors";
import { loadPickerOptions, pickerSelection } from "../location";
import { loginInput, registerInput } from "./input";
import { signInErrorMessage } from "./oauth-messages";
import { configuredProviders } from "./providers";
import { safeRedirectTarget as safeNext } from "../../http/safe-redirect";
import { login, logout, register } from "./service";
import { knownDeviceUser, rememberDevice } from "./known-device";
import { setPendingCookie } from "./pending-cookie";
import { orDeletionOffer } from "./deletion-offer";
import { clearSessionCookie, setSessionCookie } from "./session-cookie";

function providerLinks(c: AppContext) {
  return configuredProviders(c.var.deps.config).map(({ id, label }) => ({ id, label }));
}

/** The versions the register form's "I accept" checkbox names. */
function legalVersions(c: AppContext) {
  return { terms: c.var.deps.config.TERMS_VERSION, privacy: c.var.deps.config.PRIVACY_VERSION };
}

/** The register form's location pickers, narrowed to what the form holds (an id not in a list is not selected). */
async function registerLocation(c: AppContext, values: Record<string, string | undefined>, errors?: Record<string, string[]>) {
  const options = await loadPickerOptions(c.var.deps.db, pickerSelection.parse(values));
  return <RegisterLocation options={options} errors={errors} />;
}

/** The sign-in and registration pages, and signing out. */
export function authPageRoutes() {
  return new Hono<AppEnv>()
    .get("/", (c) => c.redirect(c.var.user ? "/home" : "/login", 303))
    .get("/login", (c) => {
      const next = c.req.query("next");
      if (c.var.user) return c.redirect(safeNext(next), 303);
      const notice = signInErrorMessage(c.req.query("error"), c.req.query("provider"));
      const success = c.req.query("reset") === "done" ? "Your password is changed and every session was signed out. Sign in with the new one." : null;
      return render(c, {
        title: "Sign in",
        fragment: <LoginForm next={next} />,
        page: () => <LoginPage next={next} passkeyNext={safeNext(next)} providers={providerLinks(c)} notice={notice} success={success} />,
      });
    })
    .post("/login", async (c) => {
      const form = await parseForm(c, loginInput);
      const next = form.values.next;
      const show = (status: ContentfulStatusCode, props: { errors?: FieldErrors; message?: string }) =>
        answerForm(c, {
          ok: false,
          title: "Sign in",
          status,
          fragment: <LoginForm values={form.values} next={next} {...props} />,
          page: () => <LoginPage values={form.values} next={next} providers={providerLinks(c)} {...props} />,
        });
      if (!form.ok) return show(422, { errors: form.errors });
      // A wrong password (401) and too many tries (429, with Retry-After) are said above the form.
      const device = await knownDeviceUser(c);
      const attempt = await tryForm(c, () => orDeletionOffer(login(c.var.deps, form.data, requestMeta(c), device)), { alsoShow: [401] });
      if (!attempt.ok) return show(attempt.status, { message: attempt.message });
      if ("offer" in attempt.value) {
        // The account is scheduled for deletion: the offer to cancel it (features/erasure).
        setPendingCookie(c, attempt.value.offer);
        return answerForm(c, { ok: true, redirect: "/account/deletion" });
      }
      const signedIn = { ok: true as const, value: attempt.value.done };
      if (signedIn.value.pendingToken !== undefined) {
        // The password was right; the second factor is asked on its own page.
        setPendingCookie(c, signedIn.value.pendingToken);
        return answerForm(c, { ok: true, redirect: `/login/two-factor?next=${encodeURIComponent(safeNext(next))}` });
      }
      setSessionCookie(c, signedIn.value);
      await rememberDevice(c, signedIn.value.user.id);
      return answerForm(c, { ok: true, redirect: safeNext(next) });
    })
    .get("/register", async (c) => {
      const next = c.req.query("next");
      if (c.var.user) return c.redirect(safeNext(next), 303);
      const location = await registerLocation(c, {});
      return render(c, {
        title: "Create account",
        fragment: <RegisterForm next={next} location={location} legal={legalVersions(c)} />,
        page: () => <RegisterPage next={next} providers={providerLinks(c)} location={location} legal={legalVersions(c)} />,
      });
    })
    .post("/register", async (c) => {
      const form = await parseForm(c, registerInput);
      const show = async (status: ContentfulStatusCode, errors: FieldErrors, message?: string) => {
        const location = await registerLocation(c, form.values, errors);
        return answerForm(c, {
          ok: false,
          title: "Create account",
          status,
          fragment: <RegisterForm values={form.values} errors={errors} message={message} next={form.values.next} location={location} legal={legalVersions(c)} />,
          page: () => <RegisterPage values={form.values} errors={errors} message={message} next={form.values.next} providers={providerLinks(c)} location={location} legal={legalVersions(c)} />,
        });
      };
      // "Show regions and towns" without JavaScript: the form again with its lists narrowed; no account yet.
      if (form.values.narrow === "1") return show(200, {});
      if (!form.ok) return show(422, form.errors);
      const meta = requestMeta(c);
      // A refusal (the email taken, a town from no list, too many sign-ups) beside the fields, a 400 as 422.
      const created = await tryForm(c, () => register(c.var.deps, form.data, meta), { alsoShow: [403, 404], invalidStatus: 422 });
      if (!created.ok) return show(created.status, created.error.fieldErrors, created.message);
      const result = await login(c.var.deps, { email: form.data.email, password: form.data.password }, meta);
      // A brand-new account has no second factor yet.
      if (result.pendingToken === undefined) setSessionCookie(c, result);
      await rememberDevice(c, result.user.id);
      return answerForm(c, { ok: true, redirect: safeNext(form.values.next) });
    })
    .post("/logout", async (c) => {
      if (c.var.user && c.var.session) await logout(c.var.deps, c.var.user.id, c.var.session.id, requestMeta(c));
      clearSessionCookie(c);
      return answerForm(c, { ok: true, redirect: "/login" });
    });
}
