// Two-factor sign-in in the browser: the second step of a sign-in (/login/two-factor) and the
// profile's section (/profile/two-factor/*: set up, confirm, new recovery codes, turn off).
// The JSON twins are in two-factor-api.ts.
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { renderSVG } from "uqr";
import { SecondStepForm, SecondStepPage } from "../../../views/auth/TwoFactorPage";
import { TwoFactorSection, type TwoFactorSectionProps } from "../../../views/profile/fragments/TwoFactorSection";
import { answerForm, tryForm, type FormFailure } from "../../http/forms";
import { render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { safeRedirectTarget } from "../../http/safe-redirect";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import { identityInput, secondStepInput, totpConfirmInput, twoFactorOffInput } from "./input";
import { rememberDevice } from "./known-device";
import { clearPendingCookie, pendingCookie, setPendingCookie } from "./pending-cookie";
import { orDeletionOffer } from "./deletion-offer";
import { pendingSignInOf } from "./second-step";
import { hasPassword } from "./service";
import { setSessionCookie } from "./session-cookie";
import { completePendingSignIn, confirmTotpSetup, disableTwoFactor, pendingTotpSetup, regenerateRecoveryCodes, startTotpSetup, twoFactorStatus, type TotpSetup } from "./two-factor";

const qr = (setup: TotpSetup) => ({ secret: setup.secret, qrSvg: renderSVG(setup.uri, { pixelSize: 4 }) });

/** The profile's two-factor section, as a fragment for htmx or alone on a page for a plain post. */
async function section(c: AppContext, status: ContentfulStatusCode, props: Partial<TwoFactorSectionProps> = {}) {
  const { user } = requireUser(c);
  const [state, withPassword] = await Promise.all([twoFactorStatus(c.var.deps, user.id), hasPassword(c.var.deps, user.id)]);
  const fragment = <TwoFactorSection {...state} hasPassword={withPassword} {...props} />;
  return render(c, {
    title: "Two-factor sign-in",
    status,
    fragment,
    page: () => (
      <section class="narrow-page">
        {fragment}
        <p>
          <a href="/profile">Back to your profile</a>
        </p>
      </section>
    ),
  });
}

/** A refused change in the section: beside the fields, or above them (with the way to re-authenticate). */
function refused(failure: FormFailure) {
  return { errors: failure.error.fieldErrors, message: failure.formError ? { kind: "error" as const, text: failure.formError } : null };
}

export function twoFactorRoutes() {
  return new Hono<AppEnv>()
    .get("/login/two-factor", async (c) => {
      const next = safeRedirectTarget(c.req.query("next"));
      const token = pendingCookie(c);
      const pending = token ? await pendingSignInOf(c.var.deps, token) : null;
      if (!pending) return c.redirect("/login", 303);
      const ways = { code: pending.totp, passkey: pending.passkeys };
      return render(c, { title: "Two-factor sign-in", fragment: <SecondStepForm next={next} ways={ways} />, page: () => <SecondStepPage next={next} ways={ways} /> });
    })
    .post("/login/two-factor", async (c) => {
      const form = await parseForm(c, secondStepInput);
      const next = safeRedirectTarget(form.values.next);
      const token = pendingCookie(c);
      const expired = () => {
        clearPendingCookie(c);
        return answerForm(c, { ok: false, title: "Two-factor sign-in", status: 401, fragment: <SecondStepPage expired />, page: () => <SecondStepPage expired /> });
      };
      if (!token) return expired();
      const show = (status: ContentfulStatusCode, props: { errors?: Record<string, string[]>; message?: string }) =>
        answerForm(c, { ok: false, title: "Two-factor sign-in", status, fragment: <SecondStepForm next={next} {...props} />, page: () => <SecondStepPage next={next} {...props} /> });
      if (!form.ok) return show(422, { errors: form.errors });
      const attempt = await tryForm(c, () => orDeletionOffer(completePendingSignIn(c.var.deps, token, form.data.code, requestMeta(c))), { alsoShow: [401], invalidStatus: 422 });
      const outcome = attempt.ok ? attempt.value : null;
      if (outcome && "offer" in outcome) {
        setPendingCookie(c, outcome.offer);
        return answerForm(c, { ok: true, redirect: "/account/deletion" });
      }
      const done = outcome ? { ok: true as const, value: outcome.done } : (attempt as Exclude<typeof attempt, { ok: true }>);
      if (!done.ok) {
        if (done.error.code === "sign_in_expired") return expired();
        return show(done.status, { errors: done.error.fieldErrors, message: done.formError ?? undefined });
      }
      clearPendingCookie(c);
      setSessionCookie(c, done.value);
      await rememberDevice(c, done.value.user.id);
      return answerForm(c, { ok: true, redirect: next });
    })
    .post("/profile/two-factor/setup", async (c) => {
      const { user, session } = requireUser(c);
      const form = await parseForm(c, identityInput);
      const started = await tryForm(c, () => startTotpSetup(c.var.deps, user.id, session, form.values.currentPassword), { alsoShow: [403], invalidStatus: 422 });
      if (!started.ok) return section(c, started.status, refused(started));
      return section(c, 200, { setup: qr(started.value) });
    })
    .post("/profile/two-factor/confirm", async (c) => {
      const { user, session } = requireUser(c);
      const form = await parseForm(c, totpConfirmInput);
      const confirmed = form.ok
        ? await tryForm(c, () => confirmTotpSetup(c.var.deps, user.id, session.id, form.data.code, requestMeta(c)), { invalidStatus: 422 })
        : null;
      if (!confirmed || !confirmed.ok) {
        const setup = await pendingTotpSetup(c.var.deps, user.id, user.email);
        const errors = confirmed ? confirmed.error.fieldErrors : form.ok ? {} : form.errors;
        const message = confirmed?.formError ? { kind: "error" as const, text: confirmed.formError } : null;
        return section(c, confirmed?.status ?? 422, { setup: setup ? qr(setup) : null, errors, message });
      }
      c.header("HX-Trigger", "sessions-changed");
      return section(c, 200, { recoveryCodes: confirmed.value, message: { kind: "success", text: "Two-factor sign-in is on. Every other session was signed out." } });
    })
    .post("/profile/two-factor/recovery-codes", async (c) => {
      const { user, session } = requireUser(c);
      const form = await parseForm(c, identityInput);
      const made = await tryForm(c, () => regenerateRecoveryCodes(c.var.deps, user.id, session, form.values.currentPassword, requestMeta(c)), { alsoShow: [403], invalidStatus: 422 });
      if (!made.ok) return section(c, made.status, refused(made));
      c.header("HX-Trigger", "sessions-changed");
      return section(c, 200, { recoveryCodes: made.value, message: { kind: "success", text: "New recovery codes; the old ones no longer work." } });
    })
    .post("/profile/two-factor/disable", async (c) => {
      const { user, session } = requireUser(c);
      const form = await parseForm(c, twoFactorOffInput);
      if (!form.ok) return section(c, 422, { errors: form.errors });
      const off = await tryForm(c, () => disableTwoFactor(c.var.deps, user.id, session, form.data, requestMeta(c)), { alsoShow: [403], invalidStatus: 422 });
      if (!off.ok) return section(c, off.status, refused(off));
      c.header("HX-Trigger", "sessions-changed");
      return section(c, 200, { message: { kind: "success", text: "Two-factor sign-in is off. Every other session was signed out." } });
    });
}
