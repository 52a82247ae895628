import { Hono } from "hono";
import type { Child } from "hono/jsx";
import { EmptyModuleTab, NoModules } from "../../../views/workspace/tabs/EmptyModuleTab";
import { ModuleConfigForm, type ModuleConfigFormProps } from "../../../views/workspace/tabs/ModuleConfigForm";
import { OverviewTab } from "../../../views/workspace/tabs/OverviewTab";
import { WorkspaceFragment, WorkspaceHeadingBlock, WorkspacePage, WorkspaceTabs, type WorkspaceHeading, type WorkspaceTab } from "../../../views/workspace/WorkspacePage";
import { keptHtml, keptKey } from "../../http/kept-html";
import { render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { tryForm } from "../../http/forms";
import { readForm } from "../../http/validate";
import { AppError } from "../../lib/errors";
import { hasRole, requireMembership, requireRole, type Membership } from "./access";
import { membersTab } from "./members-tab";
import { loadModuleConfig, moduleRefusal, saveModuleTable, type ModuleConfig } from "./module-config";
import { moduleUpdatesFromForm, withSentValues } from "./module-rules";
import { marketplaceTabId, moduleHref, OVERVIEW_MODULE_ID, type ModuleDefinition } from "./modules";
import { BUSINESS_ROLES } from "./schema";
import { businessOverview, listUnits } from "./service";
import { settingsTab } from "./settings";
import type { TabRenderer } from "./tab-content";
import { openWorkspace, rememberBusiness, workspaceOf, type OpenedWorkspace, type Workspace } from "./workspace";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The business workspace: /business/:id/workspace (overview) and /business/:id/workspace/:tab. */
/** `tabs` are the tabs other features draw (chat's), by module id. */
export function workspaceTabRoutes(tabs: Record<string, TabRenderer> = {}) {
  return new Hono<AppEnv>()
    .get("/business/:id/workspace", (c) => showTab(c, null, tabs))
    .get("/business/:id/workspace/:tab", (c) => showTab(c, c.req.param("tab"), tabs))
    // A marketplace module's tab: drawn by the renderer app.ts passes as `tabs.marketplace`.
    .get("/business/:id/workspace/m/:moduleId", (c) => showTab(c, marketplaceTabId(c.req.param("moduleId")), tabs))
    .get("/business/:id/heading", async (c) => {
      const { membership } = await openWorkspaceOf(c);
      return render(c, { title: membership.business.name, fragment: <WorkspaceHeadingBlock heading={headingOf(membership)} /> });
    })
    .post("/business/:id/workspace/settings/modules", saveModules);
}

/** Membership first (404 for anyone outside), then the configuration and what this member sees. */
function openWorkspaceOf(c: AppContext): Promise<OpenedWorkspace> {
  const { user } = requireUser(c);
  return openWorkspace(c.var.deps, user.id, c.req.param("id") ?? "", c.var.requestId);
}

const tabsOf = (businessId: string, modules: ModuleDefinition[]): WorkspaceTab[] =>
  modules.map((module) => ({ id: module.id, label: module.label, href: moduleHref(businessId, module.id), wholePage: module.source === "marketplace" }));

async function showTab(c: AppContext, tab: string | null, tabs: Record<string, TabRenderer>) {
  const workspace = await openWorkspaceOf(c);
  const { membership, visible } = workspace;
  const business = membership.business;
  await rememberBusiness(c.var.deps, workspace);
  if (tab === null && !visible.some((m) => m.id === OVERVIEW_MODULE_ID)) {
    // The overview is hidden from this member: open the first tab they may use instead.
    if (visible[0]) return c.redirect(moduleHref(business.id, visible[0].id), 302);
    return renderWorkspace(c, workspace, null, "Workspace", <NoModules />);
  }
  const module = workspace.config.modules.find((m) => m.module.id === (tab ?? OVERVIEW_MODULE_ID))?.module;
  if (!module) throw new AppError(404, "not_found", "This workspace has no such tab.");
  // The same rule (and words) as every other route of the module (module-gate.ts).
  const refusal = moduleRefusal(workspace.config, membership.member, module.id);
  if (refusal) throw refusal;
  const renderer = (module.source === "marketplace" ? tabs.marketplace : undefined) ?? tabs[module.id] ?? TAB_RENDERERS[module.id] ?? emptyTab(module);
  const content = await renderer(c, membership);
  return renderWorkspace(c, workspace, module.id, module.label, content);
}

async function renderWorkspace(c: AppContext, workspace: Workspace, active: string | null, label: string, content: Child, status: ContentfulStatusCode = 200) {
  const business = workspace.membership.business;
  const props = { title: `${label} · ${business.name}`, tabs: tabsOf(business.id, workspace.visible), active, label, children: content };
  const heading = headingOf(workspace.membership);
  // Content kept as HTML (the members tab) is kept with the fragment around it, as one flat string:
  // building that around 30 KB on every request measured ~40 µs (docs/performance.md).
  const key = keptKey(content);
  const fragment = key !== undefined && wantsFragment(c) ? await keptHtml(JSON.stringify([props.title, props.tabs, active, label]) + key, () => <WorkspaceFragment {...props} />) : <WorkspaceFragment {...props} />;
  return render(c, { title: props.title, status, fragment, page: () => <WorkspacePage {...props} heading={heading} /> });
}

const headingOf = ({ business, member }: Membership): WorkspaceHeading => ({ business, kind: business.kind, role: member.role });

const emptyTab =
  (module: ModuleDefinition): TabRenderer =>
  async (_c, { business }) => <EmptyModuleTab label={module.label} description={module.description} businessName={business.name} />;

/** Overview: what the business is, its counts, and its members by role and by department (classes for an institution). */
const overviewTab: TabRenderer = async (c, { business }) => {
  const overview = await businessOverview(c.var.deps, business.id);
  return (
    <OverviewTab
      kind={business.kind}
      description={business.description}
      counts={overview.counts}
      roles={BUSINESS_ROLES.map((role) => ({ role, members: overview.roles[role] ?? 0 }))}
      units={overview.departments.map((unit) => ({ name: unit.name, members: unit.members }))}
      unassigned={overview.unassigned}
    />
  );
};

/** Settings: the business settings (owned by settings.tsx), then the module table for admins. */
const settingsWithModules: TabRenderer = async (c, membership) => withModules(c, membership, await settingsTab(c, membership));

async function withModules(c: AppContext, membership: Membership, settings: Child): Promise<Child> {
  if (!hasRole(membership.member, "admin")) return settings;
  const config = await loadModuleConfig(c.var.deps, membership.business.id, { requestId: c.var.requestId });
  return (
    <>
      {settings}
      <ModuleConfigForm {...await moduleFormProps(c, membership, config)} />
    </>
  );
}

/**
 * The whole settings tab around given settings content — after a plain form post that failed, the
 * form with its errors — with the tab bar and the module table, as a full page load shows it.
 */
export async function renderSettingsPage(c: AppContext, membership: Membership, settings: Child, status: ContentfulStatusCode) {
  const config = await loadModuleConfig(c.var.deps, membership.business.id, { requestId: c.var.requestId });
  const workspace = workspaceOf(membership, config);
  return renderWorkspace(c, workspace, "settings", "Settings", await withModules(c, membership, settings), status);
}

const TAB_RENDERERS: Record<string, TabRenderer> = {
  overview: overviewTab,
  members: membersTab,
  settings: settingsWithModules,
};

async function moduleFormProps(c: AppContext, membership: Membership, config: ModuleConfig): Promise<ModuleConfigFormProps> {
  const business = membership.business;
  const [departments, positions] = await Promise.all([listUnits(c.var.deps, business.id, "department"), listUnits(c.var.deps, business.id, "position")]);
  return { businessId: business.id, kind: business.kind, modules: config.modules, roles: BUSINESS_ROLES, departments, positions, fallback: config.fallback };
}

/** POST /business/:id/workspace/settings/modules: plain form → 303 back to settings; htmx → the form again, in place. */
async function saveModules(c: AppContext) {
  const { user } = requireUser(c);
  const membership = requireRole(await requireMembership(c.var.deps.db, user.id, c.req.param("id") ?? ""), "admin", "configure modules");
  const business = membership.business;
  const updates = moduleUpdatesFromForm((await readForm(c)).lists);
  const done = await tryForm(c, () => saveModuleTable(c.var.deps, user.id, business.id, updates, requestMeta(c)));
  if (done.ok && !wantsFragment(c)) return c.redirect(`/business/${business.id}/workspace/settings`, 303);
  // saved: what members now see; shown: what the form shows (after a refusal, what was sent).
  const saved = done.ok ? done.value : await loadModuleConfig(c.var.deps, business.id, { requestId: c.var.requestId });
  const shown = done.ok ? saved : withSentValues(saved, updates);

  const formProps = { ...(await moduleFormProps(c, membership, shown)), errors: done.ok ? undefined : done.errors, message: done.ok ? "Module settings saved." : null };
  const form = <ModuleConfigForm {...formProps} />;
  const status = done.ok ? 200 : done.status;
  const workspace = workspaceOf(membership, saved);
  if (!wantsFragment(c)) {
    const settings = await settingsTab(c, membership);
    return renderWorkspace(c, workspace, "settings", "Settings", <>{settings}{form}</>, status);
  }
  // The admin's own tab bar may have changed (a module switched off): send it out of band.
  const tabs = <WorkspaceTabs tabs={tabsOf(business.id, workspace.visible)} active="settings" oob />;
  return render(c, { title: `Settings · ${business.name}`, status, fragment: <>{form}{tabs}</> });
}
