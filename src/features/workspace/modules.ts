import type { BusinessRole } from "./schema";

/** Who may see a module. An empty list means "no restriction" on that axis; a member must pass all three. */
export interface ModuleVisibility {
  allowedRoles: BusinessRole[];
  allowedDepartments: string[];
  allowedPositions: string[];
}

/** One module a business can show as a workspace tab. */
export interface ModuleDefinition {
  id: string;
  label: string;
  description: string;
  /** Where it comes from: built into the app now; marketplace modules join later. */
  source: "builtin" | "marketplace";
  /** How a business that never configured it sees it. */
  defaults: { enabled: boolean } & ModuleVisibility;
}

const everyone = (): ModuleDefinition["defaults"] => ({ enabled: true, allowedRoles: [], allowedDepartments: [], allowedPositions: [] });

/** The modules built into the app, in tab order. */
export const BUILTIN_MODULES: readonly ModuleDefinition[] = Object.freeze([
  { id: "overview", label: "Overview", description: "The business at a glance: what it is and who is in it.", source: "builtin", defaults: everyone() },
  { id: "members", label: "Members", description: "The people in the business, their roles, departments and positions.", source: "builtin", defaults: everyone() },
  { id: "calendar", label: "Calendar", description: "Shared events and schedules.", source: "builtin", defaults: everyone() },
  { id: "chat", label: "Chat", description: "Conversations between members.", source: "builtin", defaults: everyone() },
  { id: "analytics", label: "Analytics", description: "Figures and charts about the business's activity.", source: "builtin", defaults: everyone() },
  {
    id: "settings",
    label: "Settings",
    description: "The business's name, description, logo and modules.",
    source: "builtin",
    defaults: { enabled: true, allowedRoles: ["owner", "admin"], allowedDepartments: [], allowedPositions: [] },
  },
]);

/** The module owners and admins always see, so they cannot configure themselves out of the workspace. */
export const SETTINGS_MODULE_ID = "settings";
/** The tab /business/:id/workspace opens. */
export const OVERVIEW_MODULE_ID = "overview";

/**
 * The registry a business sees: the built-in modules, then any others (marketplace modules, when
 * they land, are passed in here by whatever installs them). Ids must be unique.
 */
export function moduleRegistry(extra: readonly ModuleDefinition[] = []): readonly ModuleDefinition[] {
  if (extra.length === 0) return BUILTIN_MODULES;
  const all = [...BUILTIN_MODULES, ...extra];
  const seen = new Set<string>();
  for (const module of all) {
    if (seen.has(module.id)) throw new Error(`Duplicate module id: ${module.id}`);
    seen.add(module.id);
  }
  return all;
}

export function findModule(registry: readonly ModuleDefinition[], id: string): ModuleDefinition | undefined {
  return registry.find((module) => module.id === id);
}

/** The tab's address: the overview is the workspace itself. */
export function moduleHref(businessId: string, moduleId: string): string {
  const base = `/business/${encodeURIComponent(businessId)}/workspace`;
  if (moduleId.startsWith(MARKETPLACE_PREFIX)) return `${base}/m/${encodeURIComponent(moduleId.slice(MARKETPLACE_PREFIX.length))}`;
  return moduleId === OVERVIEW_MODULE_ID ? base : `${base}/${encodeURIComponent(moduleId)}`;
}

const MARKETPLACE_PREFIX = "m-";
/** A marketplace module's id among a business's modules: apart from the built-in ones. */
export const marketplaceTabId = (moduleId: string) => `${MARKETPLACE_PREFIX}${moduleId}`;
