// The consent pages: the documents (/terms, /privacy), the page that asks for the ones in force
// (/consents/accept), and the profile's form (/profile/consents). JSON is api.ts.
import { Hono } from "hono";
import { AcceptTermsPage } from "../../../views/privacy/AcceptTermsPage";
import { ConsentSection } from "../../../views/privacy/ConsentSection";
import { LegalPage } from "../../../views/privacy/LegalPage";
import { PrivacyText, TermsText } from "../../../views/privacy/legal-text";
import { answerForm, tryForm } from "../../http/forms";
import { render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { safeRedirectTarget } from "../../http/safe-redirect";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import type { FieldErrors } from "../../lib/errors";
import { latestRecords, acceptRequired, changeConsents, requiredToAccept } from "./service";
import { acceptInput, profileConsentsInput } from "./input";
import { loadConsentSection } from "./profile-section";
import { PURPOSE_INFO, REQUIRED_PURPOSES } from "./purposes";

async function acceptPage(c: AppContext, next: string, errors?: FieldErrors) {
  const { user } = requireUser(c);
  const { deps } = c.var;
  const [pending, latest] = await Promise.all([requiredToAccept(deps, user.id), latestRecords(deps.db, user.id, REQUIRED_PURPOSES)]);
  const shown = pending.length ? pending : [...REQUIRED_PURPOSES];
  const documents = shown.map((purpose) => {
    const before = latest.find((r) => r.purpose === purpose && r.granted);
    return { label: PURPOSE_INFO[purpose].label, version: purpose === "terms" ? deps.config.TERMS_VERSION : deps.config.PRIVACY_VERSION, previous: before?.version ?? null };
  });
  return <AcceptTermsPage documents={documents} terms={deps.config.TERMS_VERSION} privacy={deps.config.PRIVACY_VERSION} next={next} errors={errors} />;
}

async function section(c: AppContext, extra: { saved?: boolean; message?: string | null } = {}) {
  const { user } = requireUser(c);
  return <ConsentSection {...await loadConsentSection(c.var.deps, user.id)} {...extra} />;
}

export function consentPageRoutes() {
  return new Hono<AppEnv>()
    .get("/terms", (c) =>
      render(c, {
        title: "Terms of service",
        fragment: (
          <LegalPage title="Terms of service" version={c.var.deps.config.TERMS_VERSION} signedIn={c.var.user !== null}>
            <TermsText />
          </LegalPage>
        ),
      }),
    )
    .get("/privacy", (c) =>
      render(c, {
        title: "Privacy notice",
        fragment: (
          <LegalPage title="Privacy notice" version={c.var.deps.config.PRIVACY_VERSION} signedIn={c.var.user !== null}>
            <PrivacyText />
          </LegalPage>
        ),
      }),
    )
    .get("/consents/accept", async (c) => {
      const { user } = requireUser(c);
      const next = safeRedirectTarget(c.req.query("next"));
      // Nothing to accept (already done, in another tab): straight on.
      if ((await requiredToAccept(c.var.deps, user.id)).length === 0) return c.redirect(next, 303);
      return render(c, { title: "Accept the terms", fragment: await acceptPage(c, next) });
    })
    .post("/consents/accept", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, acceptInput);
      const next = safeRedirectTarget(form.values.next);
      if (!form.ok) return answerForm(c, { ok: false, title: "Accept the terms", status: 422, fragment: await acceptPage(c, next, form.errors) });
      const done = await tryForm(c, () => acceptRequired(c.var.deps, user.id, requestMeta(c)));
      if (!done.ok) return answerForm(c, { ok: false, title: "Accept the terms", status: done.status, fragment: await acceptPage(c, next, { acceptTerms: [done.message] }) });
      return answerForm(c, { ok: true, redirect: next });
    })
    .post("/profile/consents", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, profileConsentsInput);
      // Only "on" or nothing can be sent; anything else reads as unticked (the form itself never sends it).
      const wanted = form.ok ? form.data : { product_emails: false, assistant: false, analytics: false };
      const done = await tryForm(c, () => changeConsents(c.var.deps, user.id, wanted, "profile", requestMeta(c)));
      if (!done.ok) return answerForm(c, { ok: false, title: "Consents", status: done.status, fragment: await section(c, { message: done.message }) });
      return answerForm(c, { ok: true, redirect: "/profile?saved=consents#consents", title: "Consents", fragment: () => section(c, { saved: true }) });
    });
}
