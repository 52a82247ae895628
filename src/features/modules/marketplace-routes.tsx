// The marketplace's pages: /marketplace (search and filters; htmx swaps the results), /marketplace/:slug (the
// module's page), its consent screen and the install and uninstall forms. Plain links and forms; htmx upgrades.
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { ConsentPage, MarketplacePage, MarketplaceResults, ModulePage } from "../../../views/modules/Marketplace";
import { tryForm } from "../../http/forms";
import { redirectAfterPost, render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { readForm } from "../../http/validate";
import { AppError } from "../../lib/errors";
import { hostPath } from "./host-paths";
import { parseContextRef } from "./install-rules";
import { installModule, uninstallModule } from "./installs";
import { browse, developerName, installablePlaces, modulePage, moduleBySlug, priceWords, scopeWords } from "./marketplace";
import { scopesBeyond } from "./manifest";
import { CATEGORIES, moduleJson } from "./registry";
import { MODULE_CONTEXTS, moduleInstalls, type ModuleContextType } from "./schema";

const pick = (value: string | undefined, allowed: readonly string[]) => (value && allowed.includes(value) ? value : "");

export function marketplaceRoutes() {
  return new Hono<AppEnv>()
    .get("/marketplace", async (c) => {
      requireUser(c);
      const query = { q: (c.req.query("q") ?? "").trim().slice(0, 100), category: pick(c.req.query("category"), CATEGORIES), context: pick(c.req.query("context"), MODULE_CONTEXTS) };
      const modules = (await browse(c.var.deps.db, { q: query.q || undefined, category: query.category || undefined, context: (query.context || undefined) as ModuleContextType | undefined })).map(moduleJson);
      return render(c, { title: "Marketplace", fragment: <MarketplaceResults modules={modules} />, page: () => <MarketplacePage modules={modules} query={query} categories={CATEGORIES} /> });
    })
    .get("/marketplace/:slug", async (c) => showModule(c))
    .get("/marketplace/:slug/install", async (c) => showConsent(c, c.req.query("context") ?? ""))
    .post("/marketplace/:slug/install", async (c) => {
      const { user } = requireUser(c);
      const sent = await readForm(c);
      const context = sent.values.context ?? "";
      const { module } = await moduleBySlug(c.var.deps.db, c.req.param("slug"));
      const done = await tryForm(c, () => installModule(c.var.deps, user.id, module.id, { context, scopes: sent.lists.scopes ?? [] }, requestMeta(c)));
      if (!done.ok) return showConsent(c, context, done.errors, done.status);
      const ref = parseContextRef(context)!;
      return redirectAfterPost(c, hostPath(ref.type, ref.id, module.id));
    })
    .post("/marketplace/:slug/uninstall", async (c) => {
      const { user } = requireUser(c);
      const context = (await readForm(c)).values.context ?? "";
      const { module } = await moduleBySlug(c.var.deps.db, c.req.param("slug"));
      await uninstallModule(c.var.deps, user.id, module.id, context, requestMeta(c));
      return redirectAfterPost(c, `/marketplace/${encodeURIComponent(module.slug)}?done=uninstalled`);
    });
}

async function showModule(c: AppContext) {
  const { user } = requireUser(c);
  const page = await modulePage(c.var.deps, user.id, c.req.param("slug") ?? "");
  const props = {
    module: { ...moduleJson(page.module), developer: page.developer },
    version: page.version.version,
    scopes: scopeWords(page.version.manifest.scopes),
    price: priceWords(page.version.manifest.pricing),
    versions: page.versions.map((v) => ({ version: v.version, approvedAt: v.reviewedAt === null ? null : new Date(v.reviewedAt).toISOString() })),
    installs: page.installs,
    places: page.places,
    message: c.req.query("done") === "uninstalled" ? "Uninstalled." : null,
  };
  return render(c, { title: page.module.name, fragment: <ModulePage {...props} /> });
}

/** The consent screen: exactly what the newest version asks for, what is new since the last consent marked. */
async function showConsent(c: AppContext, context: string, errors?: Record<string, string[]>, status: 200 | 400 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 401 = 200) {
  const { user } = requireUser(c);
  const db = c.var.deps.db;
  const { module, version } = await moduleBySlug(db, c.req.param("slug") ?? "");
  const ref = parseContextRef(context);
  const place = ref ? (await installablePlaces(c.var.deps, user.id, module)).find((p) => p.ref.type === ref.type && p.ref.id === ref.id) : undefined;
  if (!ref || !place) throw new AppError(404, "not_found", "You cannot install modules in that space, or the module is not made for it.");
  const [current] = await db.select({ scopes: moduleInstalls.scopes }).from(moduleInstalls).where(and(eq(moduleInstalls.moduleId, module.id), eq(moduleInstalls.contextType, ref.type), eq(moduleInstalls.contextId, ref.id)));
  const developer = await developerName(db, module);
  const props = {
    module: { slug: module.slug, name: module.name, icon: module.icon, developer },
    version: version.version,
    context,
    placeLabel: place.label,
    scopes: scopeWords(version.manifest.scopes),
    added: current ? scopesBeyond(version.manifest.scopes, current.scopes) : [],
    price: priceWords(version.manifest.pricing),
    errors,
  };
  return render(c, { title: `Install ${module.name}`, status, fragment: <ConsentPage {...props} /> });
}

