// The developer portal's pages: /developers (become a developer, your modules, a new module) and
// /developers/modules/:id (versions and their review, submit a version, installs over time, webhook deliveries).
// The forms post to the same services as the JSON API, so a refusal names the same fields.
import { count, eq } from "drizzle-orm";
import { Hono } from "hono";
import { DeveloperHome, DeveloperModule, type NewModuleForm, type VersionForm } from "../../../views/modules/DeveloperPortal";
import { tryForm } from "../../http/forms";
import { redirectAfterPost, render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { readForm } from "../../http/validate";
import { validationError } from "../../lib/errors";
import { openSecret } from "../../lib/secret-box";
import { auditCountsByDay } from "../audit";
import { newModuleInput, newVersionInput } from "./input";
import { BRIDGE_ACTIONS, MODULE_SCOPES } from "./manifest";
import { becomeDeveloper, CATEGORIES, createModule, isDeveloper, modulesOfDeveloper, ownModule, submitVersion, versionsOf, WEBHOOK_SECRET_PURPOSE } from "./registry";
import { deliveriesOf, deliveryJson } from "./webhooks";
import { moduleInstalls } from "./schema";

const DAY_MS = 86_400_000;

export function developerRoutes() {
  return new Hono<AppEnv>()
    .get("/developers", (c) => showHome(c, { values: { category: "productivity" }, contexts: ["business"] }))
    .post("/developers/join", async (c) => {
      const { user } = requireUser(c);
      await becomeDeveloper(c.var.deps, user.id, requestMeta(c));
      return redirectAfterPost(c, "/developers");
    })
    .post("/developers/modules", async (c) => {
      const { user } = requireUser(c);
      const sent = await readForm(c);
      const form: NewModuleForm = { values: sent.values, contexts: sent.lists.contexts ?? [] };
      const done = await tryForm(c, async () => {
        const parsed = newModuleInput.safeParse({ ...pickText(sent.values, ["slug", "name", "description", "category"]), icon: sent.values.icon?.trim() || undefined, contexts: form.contexts });
        if (!parsed.success) throw validationError(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "_form"), [i.message]])));
        return createModule(c.var.deps, user.id, parsed.data, requestMeta(c));
      });
      if (!done.ok) return showHome(c, { ...form, errors: done.errors }, done.status);
      return redirectAfterPost(c, `/developers/modules/${done.value.module.id}?done=created`);
    })
    .get("/developers/modules/:id", (c) => showModule(c, { values: {}, scopes: [], bridge: ["ready", "getToken", "resize"] }))
    .post("/developers/modules/:id/versions", async (c) => {
      const { user } = requireUser(c);
      const sent = await readForm(c);
      const form: VersionForm = { values: sent.values, scopes: sent.lists.scopes ?? [], bridge: sent.lists.bridge ?? [] };
      const done = await tryForm(c, () => {
        const input = newVersionInput.safeParse({ version: sent.values.version ?? "", manifest: manifestFromForm(sent.values, form) });
        if (!input.success) throw validationError({ version: input.error.issues.map((i) => i.message) });
        return submitVersion(c.var.deps, user.id, c.req.param("id"), input.data, requestMeta(c));
      });
      if (!done.ok) return showModule(c, { ...form, errors: done.errors }, done.status);
      return redirectAfterPost(c, `/developers/modules/${encodeURIComponent(c.req.param("id"))}?done=submitted`);
    });
}

const pickText = (values: Record<string, string>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, values[k] ?? ""]));

/** The form's fields as the manifest the API takes (the amount in whole units → minor units). */
function manifestFromForm(values: Record<string, string>, form: VersionForm): Record<string, unknown> {
  const model = values.pricing ?? "free";
  const amount = Number((values["manifest.pricing.monthlyAmount"] ?? "").replace(",", "."));
  return {
    entryUrl: values["manifest.entryUrl"] ?? "",
    scopes: form.scopes,
    bridge: form.bridge,
    webhookUrl: values["manifest.webhookUrl"]?.trim() ? values["manifest.webhookUrl"] : null,
    pricing: model === "free" ? { model } : { model, monthlyAmount: Number.isFinite(amount) ? Math.round(amount * 100) : NaN, currency: values.currency ?? "" },
  };
}

async function showHome(c: AppContext, form: NewModuleForm, status: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 = 200) {
  const { user } = requireUser(c);
  const db = c.var.deps.db;
  const developer = await isDeveloper(db, user.id);
  const modules = developer ? await modulesOfDeveloper(db, user.id) : [];
  const latest = await Promise.all(modules.map(async (m) => (await versionsOf(db, m.id))[0] ?? null));
  const rows = modules.map((m, i) => ({ id: m.id, name: m.name, slug: m.slug, status: m.status, latest: latest[i] ? { version: latest[i]!.version, state: latest[i]!.state } : null }));
  return render(c, { title: "Developers", status, fragment: <DeveloperHome developer={developer} modules={rows} categories={CATEGORIES} form={form} /> });
}

async function showModule(c: AppContext, form: VersionForm, status: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 = 200) {
  const { user } = requireUser(c);
  const deps = c.var.deps;
  const module = await ownModule(deps.db, user.id, c.req.param("id") ?? "");
  const since = Math.floor(deps.now() / DAY_MS) * DAY_MS - 29 * DAY_MS;
  const [versions, deliveries, [installs], perDay, secret] = await Promise.all([
    versionsOf(deps.db, module.id),
    deliveriesOf(deps.db, module.id),
    deps.db.select({ n: count() }).from(moduleInstalls).where(eq(moduleInstalls.moduleId, module.id)),
    auditCountsByDay(deps.db, "module.installed", module.id, since),
    openSecret(deps.config.secretKeys, WEBHOOK_SECRET_PURPOSE, module.webhookSecretSealed),
  ]);
  const days = Array.from({ length: 30 }, (_, i) => new Date(since + i * DAY_MS).toISOString().slice(0, 10));
  const done = c.req.query("done");
  return render(c, {
    title: `${module.name} · Developers`,
    status,
    fragment: (
      <DeveloperModule
        module={module}
        webhookSecret={secret}
        installs={installs?.n ?? 0}
        installsByDay={days.map((day) => ({ label: day.slice(5), value: perDay.get(day) ?? 0 }))}
        versions={versions.map((v) => ({ version: v.version, state: v.state, entryUrl: v.manifest.entryUrl, scopes: v.manifest.scopes, rejectedReason: v.rejectedReason, submittedAt: new Date(v.submittedAt).toISOString() }))}
        deliveries={deliveries.map(deliveryJson).map((d) => ({ ...d, createdAt: d.createdAt ?? "" }))}
        form={form}
        scopeOptions={MODULE_SCOPES}
        bridgeOptions={BRIDGE_ACTIONS}
        message={done === "created" ? "Module created. Submit its first version below." : done === "submitted" ? "Version submitted for review." : null}
      />
    ),
  });
}
