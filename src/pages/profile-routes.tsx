// /profile: one page from two features. Auth owns the account (name, email, password, sessions) and
// makes the move to another town (moveUser); location owns the Block ID section (what it shows,
// which town a move may go to, the limit on moves). This file asks each for its part.
import { Hono } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { UserName } from "../../views/layouts/AppShell";
import { BlockIdSection, type BlockIdSectionProps } from "../../views/profile/fragments/BlockIdSection";
import { EmailForm } from "../../views/profile/fragments/EmailForm";
import { NameForm } from "../../views/profile/fragments/NameForm";
import { PasswordForm } from "../../views/profile/fragments/PasswordForm";
import { SessionList } from "../../views/profile/fragments/SessionList";
import { ProfilePage, type ProfileSection } from "../../views/profile/ProfilePage";
import {
  changeEmail,
  changePassword,
  endOtherSessions,
  clearSessionCookie,
  emailChangeInput,
  hasPassword,
  listSessions,
  moveUser,
  nameInput,
  passwordChangeInput,
  configuredProviders,
  linkedProviders,
  listPasskeys,
  pendingEmailChange,
  revokeSession,
  twoFactorStatus,
  setSessionCookie,
  signInErrorMessage,
  updateName,
} from "../features/auth";
import { loadConsentSection } from "../features/consents";
import { exportSection } from "../features/exports";
import {
  chosenTown,
  loadBlockIdSection,
  pickerSelection,
  townMoveInput,
  townMoveLimit,
  townMoveLimitMessage,
  townMoveWait,
  type BlockIdSectionData,
  type PickedLocation,
} from "../features/location";
import { answerForm, tryForm, type FormErrorOptions, type LazyChild } from "../http/forms";
import { render } from "../http/render";
import { requireUser } from "../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../http/types";
import { parseForm } from "../http/validate";
import type { FieldErrors } from "../lib/errors";

/**
 * What the profile's forms show in place: every refusal but a 401 (which signs in again) — a town
 * or an account gone meanwhile (404) too.
 */
const PROFILE_FORM: FormErrorOptions = { alsoShow: [403, 404] };

/** The account forms answer a refused input with 422, as they do their own parse failures. */
const ACCOUNT_FORM: FormErrorOptions = { ...PROFILE_FORM, invalidStatus: 422 };

/** Everything the profile page shows; the Block ID section as given, else loaded. */
async function profileData(c: AppContext, blockId?: BlockIdSectionData) {
  const { user, session } = requireUser(c);
  const { deps } = c.var;
  const [sessions, withPassword, section, pendingEmail, twoFactor, passkeys, linked, consents, exports] = await Promise.all([
    listSessions(deps, user.id, session.id),
    hasPassword(deps, user.id),
    blockId ?? loadBlockIdSection(deps, user.id),
    pendingEmailChange(deps, user.id),
    twoFactorStatus(deps, user.id),
    listPasskeys(deps, user.id),
    linkedProviders(deps, user.id),
    loadConsentSection(deps, user.id),
    exportSection(deps, user.id),
  ]);
  const available = configuredProviders(deps.config)
    .filter((provider) => !linked.some((link) => link.provider === provider.id))
    .map(({ id, label }) => ({ id, label }));
  return { user, sessions, hasPassword: withPassword, blockId: section, pendingEmail, twoFactor, passkeys, providers: { linked, available }, consents, exports, deletionGraceDays: deps.config.ERASURE_GRACE_DAYS };
}

/**
 * A profile form was saved: the form alone for htmx (built only then when given as a function);
 * otherwise a redirect that says what was saved.
 */
function saved(c: AppContext, section: ProfileSection, fragment: LazyChild) {
  return answerForm(c, { ok: true, redirect: `/profile?saved=${section}`, title: "Profile", fragment });
}

/**
 * A profile form shown again (with its errors, or its pickers narrowed): the form alone for htmx;
 * otherwise the whole profile page with this form in place.
 */
function shown(c: AppContext, section: ProfileSection, status: ContentfulStatusCode, fragment: Child, blockId?: BlockIdSectionData) {
  const page = async () => <ProfilePage {...await profileData(c, blockId)} overrides={{ [section]: fragment }} />;
  return answerForm(c, { ok: false, title: "Profile", status, fragment, page });
}

/** The Block ID section again, its pickers narrowed to `selection`, with errors or a message. */
async function locationShown(c: AppContext, status: ContentfulStatusCode, state: { selection: PickedLocation; errors?: FieldErrors; message?: BlockIdSectionProps["message"] }) {
  const { user } = requireUser(c);
  const blockId = await loadBlockIdSection(c.var.deps, user.id, state.selection);
  return shown(c, "location", status, <BlockIdSection {...blockId} errors={state.errors} message={state.message} />, blockId);
}

/** The move limit holds for `wait` more seconds: 429, Retry-After, and the message beside the pickers. */
function moveLimited(c: AppContext, selection: PickedLocation, wait: number) {
  c.header("Retry-After", String(wait));
  return locationShown(c, 429, { selection, message: { kind: "error", text: townMoveLimitMessage(wait) } });
}

export function profileRoutes() {
  return new Hono<AppEnv>()
    .get("/profile", async (c) => {
      const data = await profileData(c);
      const notice = signInErrorMessage(c.req.query("error"), c.req.query("provider"));
      return render(c, { title: "Profile", fragment: <ProfilePage {...data} saved={c.req.query("saved")} notice={notice} endedOthers={c.req.query("ended") === "others"} /> });
    })
    .post("/profile/name", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, nameInput);
      if (!form.ok) return shown(c, "name", 422, <NameForm name={form.values.name ?? ""} errors={form.errors} />);
      await updateName(c.var.deps, user.id, form.data.name, requestMeta(c));
      // The header shows the name too: htmx swaps it out of band beside the form.
      return saved(c, "name", <><NameForm name={form.data.name} saved /><UserName name={form.data.name} oob /></>);
    })
    .post("/profile/email", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, emailChangeInput);
      if (!form.ok) return shown(c, "email", 422, <EmailForm email={form.values.email ?? ""} errors={form.errors} />);
      const input = form.data;
      const changed = await tryForm(c, () => changeEmail(c.var.deps, user.id, input, requestMeta(c)), ACCOUNT_FORM);
      if (!changed.ok) return shown(c, "email", changed.status, <EmailForm email={input.email} errors={changed.error.fieldErrors} />);
      return saved(c, "email", <EmailForm email={changed.value.user.email} pendingEmail={changed.value.pendingEmail} saved />);
    })
    .post("/profile/password", async (c) => {
      const { user } = requireUser(c);
      const withPassword = await hasPassword(c.var.deps, user.id);
      const form = await parseForm(c, passwordChangeInput);
      if (!form.ok) return shown(c, "password", 422, <PasswordForm hasPassword={withPassword} errors={form.errors} />);
      const input = form.data;
      const changed = await tryForm(c, () => changePassword(c.var.deps, user.id, input, requestMeta(c), requireUser(c).session), ACCOUNT_FORM);
      if (!changed.ok) return shown(c, "password", changed.status, <PasswordForm hasPassword={withPassword} errors={changed.error.fieldErrors} />);
      setSessionCookie(c, changed.value);
      // The session list changed too (every other session ended): refresh it beside the form.
      c.header("HX-Trigger", "sessions-changed");
      return saved(c, "password", <PasswordForm hasPassword saved />);
    })
    /**
     * `narrow=1` (the no-JavaScript "Show regions and towns") only narrows the pickers; otherwise the
     * user moves to the chosen town. Success: 303 to the profile, which names the new and the old
     * number (htmx: the section again). Errors beside the pickers; over the limit a 429.
     */
    .post("/profile/location", async (c) => {
      const { user } = requireUser(c);
      const { deps } = c.var;
      const form = await parseForm(c, townMoveInput);
      const selection = pickerSelection.parse(form.values);
      if (form.values.narrow === "1") return locationShown(c, 200, { selection });

      const wait = await townMoveWait(deps, user.id);
      if (wait > 0) return moveLimited(c, selection, wait);
      if (!form.ok) return locationShown(c, 400, { selection, errors: form.errors });
      const picked = form.data;
      const moved = await tryForm(c, async () => {
        const townId = await chosenTown(deps, user.id, picked);
        // The limit is checked again and counted inside the move's transaction (moves sent at once).
        return moveUser(deps, { userId: user.id, townId, source: "user", actorUserId: user.id, limit: townMoveLimit(deps, user.id) }, requestMeta(c));
      }, PROFILE_FORM);
      if (!moved.ok) {
        // A move sent at the same time took the last one: the same 429 (its Retry-After set) as above.
        if (moved.status === 429) return moveLimited(c, selection, Number(moved.error.details.retryAfterSeconds));
        const message = moved.formError === null ? null : { kind: "error" as const, text: moved.formError };
        return locationShown(c, moved.status, { selection, errors: moved.error.fieldErrors, message });
      }
      return saved(c, "location", async () => <BlockIdSection {...await loadBlockIdSection(deps, user.id)} moved />);
    })
    .get("/profile/sessions", async (c) => {
      const { user, session } = requireUser(c);
      const sessions = await listSessions(c.var.deps, user.id, session.id);
      return render(c, { title: "Sessions", fragment: <SessionList sessions={sessions} /> });
    })
    .post("/profile/sessions/end-others", async (c) => {
      const { user, session } = requireUser(c);
      await endOtherSessions(c.var.deps, user.id, session.id, requestMeta(c));
      const sessions = await listSessions(c.var.deps, user.id, session.id);
      return answerForm(c, { ok: true, redirect: "/profile?ended=others#sessions", title: "Profile", fragment: <SessionList sessions={sessions} endedOthers /> });
    })
    .post("/profile/sessions/:id/revoke", async (c) => {
      const { user, session } = requireUser(c);
      const publicId = c.req.param("id");
      await revokeSession(c.var.deps, user.id, publicId, requestMeta(c));
      if (publicId === session.publicId) {
        clearSessionCookie(c);
        return answerForm(c, { ok: true, redirect: "/login" });
      }
      const sessions = await listSessions(c.var.deps, user.id, session.id);
      return saved(c, "sessions", <SessionList sessions={sessions} message="The session is revoked." />);
    });
}
