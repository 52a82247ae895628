import { Hono } from "hono";
import { LoginForm } from "../../../views/auth/fragments/LoginForm";
import { RegisterForm } from "../../../views/auth/fragments/RegisterForm";
import { LoginPage } from "../../../views/auth/LoginPage";
import { RegisterLocation, RegisterPage } from "../../../views/auth/RegisterPage";
import { EmailForm } from "../../../views/profile/fragments/EmailForm";
import { NameForm } from "../../../views/profile/fragments/NameForm";
import { PasswordForm } from "../../../views/profile/fragments/PasswordForm";
import { SessionList } from "../../../views/profile/fragments/SessionList";
import { ProfilePage, type ProfileSection } from "../../../views/profile/ProfilePage";
import { UserName } from "../../../views/layouts/AppShell";
import type { Child } from "hono/jsx";
import { redirectAfterPost, render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { clearSessionCookie, setSessionCookie } from "./session-cookie";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import { AppError } from "../../lib/errors";
import { loadPickerOptions, pickerSelection } from "../location";
import { loadBlockIdSection } from "../location/profile-location";
import { emailChangeInput, loginInput, nameInput, passwordChangeInput, registerInput } from "./input";
import { signInErrorMessage } from "./oauth-messages";
import { configuredProviders } from "./providers";
import { changeEmail, changePassword, findUser, login, logout, register, revokeSession, updateName } from "./service";
import { listSessions } from "./sessions";

/** Only a path on this site may follow sign-in, never another host (`//evil`, `/\evil`). */
export function safeNext(value: unknown): string {
  return typeof value === "string" && /^\/(?![/\\])/.test(value) ? value : "/home";
}

function providerLinks(c: AppContext) {
  return configuredProviders(c.var.deps.config).map(({ id, label }) => ({ id, label }));
}

/** The register form's location pickers, narrowed to what the form holds (an id not in a list is not selected). */
async function registerLocation(c: AppContext, values: Record<string, string | undefined>, errors?: Record<string, string[]>) {
  const options = await loadPickerOptions(c.var.deps.db, pickerSelection.parse(values));
  return <RegisterLocation options={options} errors={errors} />;
}

/** Runs a form action; an AppError with field errors comes back as the re-rendered form. */
async function formAction<T>(action: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: AppError }> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    if (error instanceof AppError && error.status < 500 && error.status !== 401) return { ok: false, error };
    throw error;
  }
}

function fieldErrors(error: AppError) {
  return (error.details.fieldErrors as Record<string, string[]> | undefined) ?? {};
}

const formStatus = (error: AppError) => (error.status === 400 ? 422 : error.status);

async function profileData(c: AppContext) {
  const { user, session } = requireUser(c);
  const [sessions, row, blockId] = await Promise.all([listSessions(c.var.deps, user.id, session.id), findUser(c.var.deps, user.id), loadBlockIdSection(c.var.deps, user.id)]);
  return { user, sessions, hasPassword: row.passwordHash !== null, blockId };
}

export function authPages() {
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
      const created = await formAction(() => register(c.var.deps, form.data, meta));
      if (!created.ok) return show(formStatus(created.error), fieldErrors(created.error), created.error.message);
      const result = await login(c.var.deps, { email: form.data.email, password: form.data.password }, meta);
      setSessionCookie(c, result);
      return redirectAfterPost(c, safeNext(form.values.next));
    })
    .post("/logout", async (c) => {
      if (c.var.user && c.var.session) await logout(c.var.deps, c.var.user.id, c.var.session.id, requestMeta(c));
      clearSessionCookie(c);
      return redirectAfterPost(c, "/login");
    })
    .get("/profile", async (c) => {
      const data = await profileData(c);
      const saved = c.req.query("saved");
      const notice = signInErrorMessage(c.req.query("error"), c.req.query("provider"));
      return render(c, { title: "Profile", fragment: <ProfilePage {...data} saved={saved} notice={notice} /> });
    })
    .post("/profile/name", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, nameInput);
      if (!form.ok) return profileForm(c, "name", 422, <NameForm name={form.values.name ?? ""} errors={form.errors} />);
      await updateName(c.var.deps, user.id, form.data.name, requestMeta(c));
      // The header shows the name too: htmx swaps it out of band beside the form.
      return profileForm(c, "name", 200, <><NameForm name={form.data.name} saved /><UserName name={form.data.name} oob /></>);
    })
    .post("/profile/email", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, emailChangeInput);
      if (!form.ok) return profileForm(c, "email", 422, <EmailForm email={form.values.email ?? ""} errors={form.errors} />);
      const changed = await formAction(() => changeEmail(c.var.deps, user.id, form.data, requestMeta(c)));
      if (!changed.ok) return profileForm(c, "email", formStatus(changed.error), <EmailForm email={form.data.email} errors={fieldErrors(changed.error)} />);
      return profileForm(c, "email", 200, <EmailForm email={changed.value.email} saved />);
    })
    .post("/profile/password", async (c) => {
      const { user } = requireUser(c);
      const hasPassword = (await findUser(c.var.deps, user.id)).passwordHash !== null;
      const form = await parseForm(c, passwordChangeInput);
      if (!form.ok) return profileForm(c, "password", 422, <PasswordForm hasPassword={hasPassword} errors={form.errors} />);
      const changed = await formAction(() => changePassword(c.var.deps, user.id, form.data, requestMeta(c)));
      if (!changed.ok) return profileForm(c, "password", formStatus(changed.error), <PasswordForm hasPassword={hasPassword} errors={fieldErrors(changed.error)} />);
      setSessionCookie(c, changed.value);
      // The session list changed too (every other session ended): refresh it beside the form.
      c.header("HX-Trigger", "sessions-changed");
      return profileForm(c, "password", 200, <PasswordForm hasPassword saved />);
    })
    .get("/profile/sessions", async (c) => {
      const { user, session } = requireUser(c);
      const sessions = await listSessions(c.var.deps, user.id, session.id);
      return render(c, { title: "Sessions", fragment: <SessionList sessions={sessions} /> });
    })
    .post("/profile/sessions/:id/revoke", async (c) => {
      const { user, session } = requireUser(c);
      const publicId = c.req.param("id");
      await revokeSession(c.var.deps, user.id, publicId, requestMeta(c));
      if (publicId === session.publicId) {
        clearSessionCookie(c);
        return redirectAfterPost(c, "/login");
      }
      const sessions = await listSessions(c.var.deps, user.id, session.id);
      return profileForm(c, "sessions", 200, <SessionList sessions={sessions} message="The session is revoked." />);
    });
}

/**
 * A profile form's answer: the form alone for htmx; otherwise, on success a redirect that says what
 * was saved, and on failure the whole profile page with this form (and its errors) in place.
 */
async function profileForm(c: AppContext, section: ProfileSection, status: number, fragment: Child) {
  if (wantsFragment(c)) return render(c, { title: "Profile", status: status as 200, fragment });
  if (status === 200) return redirectAfterPost(c, `/profile?saved=${section}`);
  const data = await profileData(c);
  return render(c, { title: "Profile", status: status as 422, fragment, page: () => <ProfilePage {...data} overrides={{ [section]: fragment }} /> });
}
