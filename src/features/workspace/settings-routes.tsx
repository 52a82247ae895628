import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { LogoOwner } from "../../../views/workspace/BusinessLogo";
import { DetailsForm } from "../../../views/workspace/settings/fragments/DetailsForm";
import { LogoSection } from "../../../views/workspace/settings/fragments/LogoSection";
import { TwoFactorPolicyForm } from "../../../views/workspace/settings/fragments/TwoFactorPolicyForm";
import type { SettingsSaved } from "../../../views/workspace/settings/SettingsPanel";
import { render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import { tryForm } from "../../http/forms";
import type { FieldErrors } from "../../lib/errors";
import { requireMembership, requireRole, type Membership } from "./access";
import { twoFactorPolicyInput, updateBusinessInput } from "./input";
import { LOGO_MAX_BYTES, LOGO_MESSAGES, readLogo, readLogoFile, removeLogo, replaceLogo } from "./logo";
import { setRequireTwoFactor, updateBusiness } from "./service";
import { settingsPanel } from "./settings";
import { renderSettingsPage } from "./workspace-routes";

/** The logo form's whole body: the file (2 MB at most) plus room for the multipart framing. */
export const LOGO_UPLOAD_MAX_BODY = LOGO_MAX_BYTES + 512 * 1024;
const LOGO_UPLOAD_PATH = /^\/business\/[^/]+\/settings\/logo$/;

/**
 * The one request that checks its own, larger body limit (the logo upload); the app's 1 MB limit
 * skips it and applies to everything else.
 */
export function hasOwnBodyLimit(method: string, path: string): boolean {
  return method === "POST" && LOGO_UPLOAD_PATH.test(path);
}

/** Business settings: name and description, the logo, and the logo itself for members. */
export function settingsRoutes() {
  return new Hono<AppEnv>()
    .post("/business/:id/settings", saveDetails)
    .post("/business/:id/settings/two-factor", saveTwoFactorPolicy)
    .post("/business/:id/settings/logo", uploadLogo)
    .post("/business/:id/settings/logo/delete", deleteLogo)
    .get("/business/:id/logo", serveLogo);
}

/** 404 for anyone outside the business (before anything else), then 403 below admin. */
async function adminOf(c: AppContext) {
  const { user } = requireUser(c);
  const membership = await requireMembership(c.var.deps.db, user.id, c.req.param("id") ?? "");
  return { userId: user.id, membership: requireRole(membership, "admin", "change the business settings") };
}

/**
 * One settings form's answer. htmx: the part alone, with its errors or a confirmation. A plain form:
 * on success a 303 back to the settings tab saying what was saved; on failure the workspace page
 * with this part (and its errors) in place.
 */
async function answer(c: AppContext, membership: Membership, part: "details" | "logo", status: number, fragment: Child, saved: SettingsSaved | null = null) {
  const business = membership.business;
  const title = `Settings · ${business.name}`;
  if (wantsFragment(c)) return render(c, { title, status: status as ContentfulStatusCode, fragment });
  if (status < 300) return c.redirect(`/business/${encodeURIComponent(business.id)}/workspace/settings?saved=${saved ?? part}`, 303);
  const content = settingsPanel(membership, { overrides: { [part]: fragment } });
  return renderSettingsPage(c, membership, content, status as ContentfulStatusCode);
}

/** POST /business/:id/settings: name and description (audited by updateBusiness). */
async function saveDetails(c: AppContext) {
  const { userId, membership } = await adminOf(c);
  const businessId = membership.business.id;
  const form = await parseForm(c, updateBusinessInput);
  if (!form.ok) {
    const values = { name: form.values.name ?? "", description: form.values.description ?? "" };
    return answer(c, membership, "details", 422, <DetailsForm businessId={businessId} values={values} errors={form.errors} />);
  }
  const updated = await updateBusiness(c.var.deps, userId, businessId, form.data, requestMeta(c));
  c.header("HX-Trigger", "business-settings-changed");
  const values = { name: updated.name, description: updated.description };
  return answer(c, { ...membership, business: { ...membership.business, ...values } }, "details", 200, <DetailsForm businessId={businessId} values={values} saved />);
}

/** POST /business/:id/settings/two-factor: owners require (or stop requiring) two factors of every member. */
async function saveTwoFactorPolicy(c: AppContext) {
  const { user, session } = requireUser(c);
  const businessId = c.req.param("id") ?? "";
  const form = await parseForm(c, twoFactorPolicyInput);
  const required = form.ok && form.data.requireTwoFactor === "on";
  const saved = await tryForm(c, () => setRequireTwoFactor(c.var.deps, user.id, businessId, required, session.secondFactor, requestMeta(c)));
  const membership = await requireMembership(c.var.deps.db, user.id, businessId);
  const fragment = (
    <TwoFactorPolicyForm businessId={businessId} required={Boolean(membership.business.requireTwoFactor)} canChange saved={saved.ok} error={saved.ok ? null : saved.message} />
  );
  return answer(c, membership, "details", saved.ok ? 200 : saved.status, fragment, "details");
}

const logoSection = (business: LogoOwner, props: { errors?: FieldErrors; saved?: "logo" | "logo-removed" } = {}) => (
  <LogoSection business={business} {...props} />
);

/** POST /business/:id/settings/logo (multipart, field `logo`): checked by content, at most 2 MB. */
async function uploadLogo(c: AppContext) {
  const { userId, membership } = await adminOf(c);
  const refuse = (status: number, errors: FieldErrors) => answer(c, membership, "logo", status, logoSection(membership.business, { errors }));
  // This route's own limit (the app's 1 MB one skips it): a body far past 2 MB is refused unread.
  const limit = bodyLimit({ maxSize: LOGO_UPLOAD_MAX_BODY, onError: () => refuse(413, { logo: [LOGO_MESSAGES.too_large] }) });
  let response: Response | undefined;
  const refused = await limit(c, async () => {
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    // The file is checked by content (a 422 beside the field), then stored.
    const stored = await tryForm(c, async () => replaceLogo(c.var.deps, userId, membership.business.id, await readLogoFile(body.logo), requestMeta(c)));
    if (!stored.ok) {
      response = await refuse(stored.status, stored.errors);
      return;
    }
    const business = { ...membership.business, logoKey: stored.value.logoKey, logoContentType: stored.value.contentType };
    c.header("HX-Trigger", "business-settings-changed");
    response = await answer(c, { ...membership, business }, "logo", 200, logoSection(business, { saved: "logo" }), "logo");
  });
  return refused ?? response!;
}

/** POST /business/:id/settings/logo/delete: removing a logo that is already gone is fine. */
async function deleteLogo(c: AppContext) {
  const { userId, membership } = await adminOf(c);
  await removeLogo(c.var.deps, userId, membership.business.id, requestMeta(c));
  const business = { ...membership.business, logoKey: null, logoContentType: null };
  c.header("HX-Trigger", "business-settings-changed");
  return answer(c, { ...membership, business }, "logo", 200, logoSection(business, { saved: "logo-removed" }), "logo-removed");
}

/**
 * GET /business/:id/logo: members only (404 for anyone else, as for a business without a logo).
 * The versioned address the views use (`?v=`) may be cached for good; any other revalidates.
 */
async function serveLogo(c: AppContext) {
  const { user } = requireUser(c);
  const logo = await readLogo(c.var.deps, user.id, c.req.param("id") ?? "", { ifNoneMatch: c.req.header("if-none-match") });
  const current = c.req.query("v") === logo.etag.slice(1, -1);
  const headers: Record<string, string> = {
    ETag: logo.etag,
    "Cache-Control": current ? "private, max-age=31536000, immutable" : "private, no-cache",
    "X-Content-Type-Options": "nosniff",
  };
  if (!logo.object) return c.body(null, 304, headers);
  headers["Content-Type"] = logo.contentType;
  headers["Content-Disposition"] = "inline";
  return c.body(logo.object.body, 200, headers);
}
