// The sign-in pages: / (where to go), /login, /register and /logout. The profile is src/pages/profile-routes.tsx.
import { Hono } from "hono";
import { LoginForm } from "../../../views/auth/fragments/LoginForm";
import { RegisterForm } from "../../../views/auth/fragments/RegisterForm";
import { LoginPage } from "../../../views/auth/LoginPage";
import { RegisterLocation, RegisterPage } from "../../../views/auth/RegisterPage";
import { redirectAfterPost, render } from "../../http/render";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import { AppError, type FieldErrors } from "../../lib/errors";
import { loadPickerOptions, pickerSelection } from "../location";
import { loginInput, registerInput } from "./input";
import { signInErrorMessage } from "./oauth-messages";
import { configuredProviders } from "./providers";
import { safeNext } from "./safe-next";
import { login, logout, register } from "./service";
import { clearSessionCookie, setSessionCookie } from "./session-cookie";

function providerLinks(c: AppContext) {
  return configuredProviders(c.var.deps.config).map(({ id, label }) => ({ id, label }));
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
      return render(c, {
        title: "Sign in",
        fragment: <LoginForm next={next} />,
        page: () => <LoginPage next={next} providers={providerLinks(c)} notice={notice} />,
      });
    })
    .post("/login", async (c) => {
      const form = await parseForm(c, loginInput);
      const next = form.values.next;
      const show = (status: 422 | 401 | 429, props: { errors?: Record<string, string[]>; message?: string }) =>
        render(c, {
          title: "Sign in",
          status,
          fragment: <LoginForm values={form.values} next={next} {...props} />,
          page: () => <LoginPage values={form.values} next={next} providers={providerLinks(c)} {...props} />,
        });
      if (!form.ok) return show(422, { errors: form.errors });
      try {
        const result = await login(c.var.deps, form.data, requestMeta(c));
        setSessionCookie(c, result);
        return redirectAfterPost(c, safeNext(next));
      } catch (error) {
        if (!(error instanceof AppError) || (error.status !== 401 && error.status !== 429)) throw error;
        for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
        return show(error.status, { message: error.message });
      }
    })
    .get("/register", async (c) => {
      const next = c.req.query("next");
      if (c.var.user) return c.redirect(safeNext(next), 303);
      const location = await registerLocation(c, {});
      return render(c, {
        title: "Create account",
        fragment: <RegisterForm next={next} location={location} />,
        page: () => <RegisterPage next={next} providers={providerLinks(c)} location={location} />,
      });
    })
    .post("/register", async (c) => {
      const form = await parseForm(c, registerInput);
      const show = async (status: number, errors: Record<string, string[]>, message?: string) => {
        const location = await registerLocation(c, form.values, errors);
        return render(c, {
          title: "Create account",
          status: status as 422,
          fragment: <RegisterForm values={form.values} errors={errors} message={message} next={form.values.next} location={location} />,
          page: () => <RegisterPage values={form.values} errors={errors} message={message} next={form.values.next} providers={providerLinks(c)} location={location} />,
        });
      };
      // "Show regions and towns" without JavaScript: the form again with its lists narrowed; no account yet.
      if (form.values.narrow === "1") return show(200, {});
      if (!form.ok) return show(422, form.errors);
      const meta = requestMeta(c);
      try {
        await register(c.var.deps, form.data, meta);
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500 || error.status === 401) throw error;
        return show(error.status === 400 ? 422 : error.status, (error.details.fieldErrors as FieldErrors | undefined) ?? {}, error.message);
      }
      const result = await login(c.var.deps, { email: form.data.email, password: form.data.password }, meta);
      setSessionCookie(c, result);
      return redirectAfterPost(c, safeNext(form.values.next));
    })
    .post("/logout", async (c) => {
      if (c.var.user && c.var.session) await logout(c.var.deps, c.var.user.id, c.var.session.id, requestMeta(c));
      clearSessionCookie(c);
      return redirectAfterPost(c, "/login");
    });
}
