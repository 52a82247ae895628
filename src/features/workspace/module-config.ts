import { and, eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Db, Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { AppError, validationError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { accessChanged, channel } from "../realtime";
import { hasRole, requireMembership, requireRole } from "./access";
import { findModule, moduleHref, moduleRegistry, SETTINGS_MODULE_ID, type ModuleDefinition } from "./modules";
import type { ModuleUpdateInput } from "./input";
import { checkModuleUpdates, defaultSetting, planModuleChanges, type ErrorKey, type ModuleConfig, type ModuleSetting, type ModuleUpdate } from "./module-rules";
import { BUSINESS_ROLES, businessModules, businessModuleTabs, type BusinessMemberRow, type BusinessRole } from "./schema";
import { listUnits } from "./service";

export type { ConfiguredModule, ModuleConfig, ModuleSetting, ModuleUpdate } from "./module-rules";

export type MemberPlace = Pick<BusinessMemberRow, "role" | "departmentId" | "positionId">;

const ANYONE: ModuleSetting = { enabled: true, allowedRoles: [], allowedDepartments: [], allowedPositions: [] };
const OFF: ModuleSetting = { enabled: false, allowedRoles: [], allowedDepartments: [], allowedPositions: [] };

/** What a business shows when its configuration cannot be read: overview and members for all, settings for owners and admins. */
const SAFE_DEFAULT: Record<string, ModuleSetting> = {
  overview: ANYONE,
  members: ANYONE,
  settings: { ...ANYONE, allowedRoles: ["owner", "admin"] },
};

export function safeDefaultConfig(businessId: string, registry = moduleRegistry()): ModuleConfig {
  return { businessId, fallback: true, modules: registry.map((module) => ({ module, setting: SAFE_DEFAULT[module.id] ?? OFF })) };
}

/** A stored JSON list, or null when it is not valid JSON or not an array of strings. */
function parseStringList(text: unknown): string[] | null {
  if (typeof text !== "string") return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return Array.isArray(value) && value.every((item) => typeof item === "string") ? value : null;
}

const isRole = (value: string): value is BusinessRole => (BUSINESS_ROLES as readonly string[]).includes(value);

type StoredRow = { moduleId: string; setting: ModuleSetting | null };

/** One stored row's values, checked by hand so a bad value is reported here rather than deep in the driver. */
function storedRow(moduleId: string, enabledValue: unknown, rolesText: unknown, departmentsText: unknown, positionsText: unknown): StoredRow {
  const roles = parseStringList(rolesText);
  const departments = parseStringList(departmentsText);
  const positions = parseStringList(positionsText);
  const enabled = enabledValue === 1 || enabledValue === 0 ? enabledValue === 1 : null;
  if (!roles || !roles.every(isRole) || !departments || !positions || enabled === null) return { moduleId, setting: null };
  return { moduleId, setting: { enabled, allowedRoles: roles, allowedDepartments: departments, allowedPositions: positions } };
}

/** The stored rows, read inside a write transaction (updateModuleConfig). */
async function readStoredRows(db: Db | Tx, businessId: string): Promise<StoredRow[]> {
  const rows = await db
    .select({
      moduleId: businessModules.moduleId,
      enabled: sql<unknown>`${businessModules.enabled}`,
      roles: sql<unknown>`${businessModules.allowedRoles}`,
      departments: sql<unknown>`${businessModules.allowedDepartments}`,
      positions: sql<unknown>`${businessModules.allowedPositions}`,
    })
    .from(businessModules)
    .where(eq(businessModules.businessId, businessId));
  return rows.map((row) => storedRow(row.moduleId, row.enabled, row.roles, row.departments, row.positions));
}

/**
 * A business's stored module rows as one JSON array of [moduleId, enabled, roles, departments,
 * positions], the lists as the text they are stored as. An SQL expression, so that openWorkspace can
 * ask it in the same statement as the membership (docs/performance.md: statements and columns are the
 * cost). Read it with configFromStored.
 */
export function storedModulesJson(businessId: SQLWrapper): SQL<string> {
  const m = businessModules;
  const tab = businessModuleTabs;
  return sql<string>`json_object('rows', (select json_group_array(json_array(${m.moduleId}, ${m.enabled}, ${m.allowedRoles}, ${m.allowedDepartments}, ${m.allowedPositions}))
    from ${m} where ${m.businessId} = ${businessId}), 'tabs', (select json_group_array(json_array(${tab.moduleId}, ${tab.label}, ${tab.description}))
    from ${tab} where ${tab.businessId} = ${businessId}))`;
}

/** The business's registry: the built-in modules, then its marketplace modules' tabs in the order they were installed. */
export async function businessRegistry(db: Db | Tx, businessId: string): Promise<readonly ModuleDefinition[]> {
  const tabs = await db.select().from(businessModuleTabs).where(eq(businessModuleTabs.businessId, businessId)).orderBy(businessModuleTabs.createdAt);
  return moduleRegistry(tabs.map((t) => marketplaceTab(t.moduleId, t.label, t.description)));
}

/** A marketplace module's tab: everyone sees it until the business's admins say otherwise. */
function marketplaceTab(id: string, label: string, description: string): ModuleDefinition {
  return { id, label, description, source: "marketplace", defaults: { enabled: true, allowedRoles: [], allowedDepartments: [], allowedPositions: [] } };
}

/** Adds (or renames) a marketplace module's tab, in the installing transaction. */
export async function addModuleTab(tx: Tx, businessId: string, tab: { id: string; label: string; description: string }, now: number): Promise<void> {
  await tx
    .insert(businessModuleTabs)
    .values({ businessId, moduleId: tab.id, label: tab.label, description: tab.description, createdAt: now })
    .onConflictDoUpdate({ target: [businessModuleTabs.businessId, businessModuleTabs.moduleId], set: { label: tab.label, description: tab.description } });
}

/** Removes a marketplace module's tab and its settings, in the uninstalling transaction. */
export async function removeModuleTab(tx: Tx, businessId: string, id: string): Promise<void> {
  await tx.delete(businessModuleTabs).where(and(eq(businessModuleTabs.businessId, businessId), eq(businessModuleTabs.moduleId, id)));
  await tx.delete(businessModules).where(and(eq(businessModules.businessId, businessId), eq(businessModules.moduleId, id)));
}

type LoadContext = { requestId?: string };

const configLookups = new WeakMap<Db, ReturnType<typeof prepareConfigLookup>>();
function prepareConfigLookup(db: Db) {
  return db
    .select({ modules: storedModulesJson(sql.placeholder("businessId")) })
    .from(sql`(select 1)`)
    .prepare();
}

/**
 * The business's module configuration: stored rows merged over the registry's defaults. If it cannot
 * be loaded (the query fails, or a stored value is not a list of strings) the failure is logged and
 * the safe default is returned, so the workspace still opens.
 */
export async function loadModuleConfig(
  deps: Pick<Deps, "db" | "log">,
  businessId: string,
  context: LoadContext = {},
  registry?: readonly ModuleDefinition[],
): Promise<ModuleConfig> {
  let stored: string;
  try {
    let lookup = configLookups.get(deps.db);
    if (!lookup) configLookups.set(deps.db, (lookup = prepareConfigLookup(deps.db)));
    stored = (await lookup.all({ businessId }))[0]!.modules;
  } catch (error) {
    return configFailed(deps, businessId, context, registry ?? moduleRegistry(), error);
  }
  return configFromStored(deps, businessId, stored, context, registry);
}

/** The configuration from storedModulesJson's value; the safe default (logged) when a row holds a bad value. */
export function configFromStored(
  deps: Pick<Deps, "log">,
  businessId: string,
  storedJson: string,
  context: LoadContext = {},
  given?: readonly ModuleDefinition[],
): ModuleConfig {
  let registry = given ?? moduleRegistry();
  try {
    const { rows, tabs } = JSON.parse(storedJson) as { rows: [string, unknown, unknown, unknown, unknown][]; tabs: [string, string, string][] };
    // The business's registry: built in, then its marketplace modules' tabs (unless the caller brought its own).
    registry = given ?? moduleRegistry(tabs.map(([id, label, description]) => marketplaceTab(id, label, description)));
    const stored = new Map<string, ModuleSetting>();
    for (const values of rows) {
      const row = storedRow(...values);
      if (!row.setting) throw new Error(`business_modules row for module "${row.moduleId}" holds a value that is not a list of strings`);
      stored.set(row.moduleId, row.setting);
    }
    // Rows for modules the registry no longer has (an uninstalled marketplace module) are ignored.
    const modules = registry.map((module) => ({ module, setting: stored.get(module.id) ?? defaultSetting(module) }));
    return { businessId, modules, fallback: false };
  } catch (error) {
    return configFailed(deps, businessId, context, registry, error);
  }
}

function configFailed(deps: Pick<Deps, "log">, businessId: string, context: LoadContext, registry: readonly ModuleDefinition[], error: unknown): ModuleConfig {
  deps.log({
    level: "error",
    msg: "module configuration failed to load; showing the safe default",
    businessId,
    requestId: context.requestId,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
  return safeDefaultConfig(businessId, registry);
}

/** Whether one setting lets this member in: enabled, and each non-empty list names the member's role, department and position. */
export function admits(setting: ModuleSetting, member: MemberPlace): boolean {
  if (!setting.enabled) return false;
  if (setting.allowedRoles.length && !setting.allowedRoles.includes(member.role)) return false;
  if (setting.allowedDepartments.length && !(member.departmentId && setting.allowedDepartments.includes(member.departmentId))) return false;
  if (setting.allowedPositions.length && !(member.positionId && setting.allowedPositions.includes(member.positionId))) return false;
  return true;
}

/** The modules this member may use, in registry order. Owners and admins always have settings. */
export function visibleModules(config: ModuleConfig, member: MemberPlace): ModuleDefinition[] {
  return config.modules
    .filter(({ module, setting }) => admits(setting, member) || (module.id === SETTINGS_MODULE_ID && hasRole(member, "admin")))
    .map(({ module }) => module);
}

export interface UpdateOptions {
  /** How an error is keyed in fieldErrors; the form uses "<module>.<field>", the JSON API just "<field>". */
  errorKey?: ErrorKey;
  registry?: readonly ModuleDefinition[];
}

/**
 * Changes the configuration of one or more modules (admins only), in one transaction with one
 * audit event holding each changed module's setting before and after. Unknown modules or roles,
 * and department or position ids that are not this business's, are a 400 with field details.
 * Returns the new configuration, and the setting each named module now has.
 */
export async function updateModuleConfig(
  deps: Deps,
  userId: string,
  businessId: string,
  updates: ModuleUpdate[],
  meta: RequestMeta,
  options: UpdateOptions = {},
): Promise<{ config: ModuleConfig; settings: Record<string, ModuleSetting> }> {
  requireRole(await requireMembership(deps.db, userId, businessId), "admin", "configure modules");
  const registry = options.registry ?? (await businessRegistry(deps.db, businessId));
  const key = options.errorKey ?? ((moduleId, field) => `${moduleId}.${field}`);
  const [departments, positions] = await Promise.all([listUnits(deps, businessId, "department"), listUnits(deps, businessId, "position")]);
  const business = { departmentIds: new Set(departments.map((d) => d.id)), positionIds: new Set(positions.map((p) => p.id)) };
  const errors = checkModuleUpdates(updates, business, registry, key);
  if (Object.keys(errors).length) throw validationError(errors, "Some module settings are not valid.");

  const plan = await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const stored = new Map((await readStoredRows(tx, businessId)).map((row) => [row.moduleId, row.setting]));
    const plan = planModuleChanges(updates, stored, registry);
    for (const { moduleId, setting } of plan.writes) {
      await tx
        .insert(businessModules)
        .values({ businessId, moduleId, ...setting, updatedAt: now })
        .onConflictDoUpdate({ target: [businessModules.businessId, businessModules.moduleId], set: { ...setting, updatedAt: now } });
    }
    if (plan.writes.length === 0) return plan;
    await recordAudit(tx, now, meta, {
      actorUserId: userId,
      action: "business.modules_update",
      targetType: "business",
      targetId: businessId,
      details: { before: plan.before, after: plan.after },
    });
    // Who may see which module changed: open streams and whatever is kept per person (the calendar's grids) hear it.
    await accessChanged(tx, deps, [], [channel.business(businessId)]);
    return plan;
  });
  return { config: await loadModuleConfig(deps, businessId, { requestId: meta.requestId }, registry), settings: plan.settings };
}

/**
 * The settings tab's module table, saved: the new configuration. A form that names no module is
 * refused (400) as an invalid update is.
 */
export async function saveModuleTable(deps: Deps, userId: string, businessId: string, updates: ModuleUpdate[], meta: RequestMeta): Promise<ModuleConfig> {
  if (updates.length === 0) throw validationError({ _form: ["The form named no modules."] }, "Nothing to save.");
  return (await updateModuleConfig(deps, userId, businessId, updates, meta)).config;
}

/** A module as the JSON API shows it. */
export function moduleJson(businessId: string, module: ModuleDefinition) {
  return { id: module.id, label: module.label, description: module.description, source: module.source, href: moduleHref(businessId, module.id) };
}

/** The modules this member sees (404 for a business they are not in). */
export async function modulesForMember(deps: Pick<Deps, "db" | "log">, userId: string, businessId: string, requestId?: string) {
  const membership = await requireMembership(deps.db, userId, businessId);
  const config = await loadModuleConfig(deps, businessId, { requestId });
  return visibleModules(config, membership.member).map((module) => moduleJson(businessId, module));
}

/** Configures one module (admins); an unknown module is a 404, bad values a 400 keyed by field. */
export async function configureModule(deps: Deps, userId: string, businessId: string, moduleId: string, input: ModuleUpdateInput, meta: RequestMeta) {
  requireRole(await requireMembership(deps.db, userId, businessId), "admin", "configure modules");
  const registry = await businessRegistry(deps.db, businessId);
  const module = findModule(registry, moduleId);
  if (!module) throw new AppError(404, "not_found", "There is no such module.");
  const { settings } = await updateModuleConfig(deps, userId, businessId, [{ moduleId, ...input }], meta, { errorKey: (_id, field) => field, registry });
  return { ...moduleJson(businessId, module), ...settings[module.id]! };
}

/**
 * Refuses (403) a member the module is hidden from or turned off for — the same rule as the tab
 * bar — on every route that serves the module's data, not only its tab.
 */
export function moduleRefusal(config: ModuleConfig, member: MemberPlace, moduleId: string): AppError | null {
  if (visibleModules(config, member).some((module) => module.id === moduleId)) return null;
  const entry = config.modules.find((m) => m.module.id === moduleId);
  if (!entry) return new AppError(404, "not_found", "This workspace has no such module.");
  return new AppError(
    403,
    "module_forbidden",
    entry.setting.enabled ? `The ${entry.module.label} module is not available to you in this business.` : `The ${entry.module.label} module is turned off for this business.`,
  );
}

/** Whether a member (whose place the caller already read) may use a module of the business: the tab bar's rule. */
export async function memberSeesModule(deps: Pick<Deps, "db" | "log">, businessId: string, member: MemberPlace, moduleId: string): Promise<boolean> {
  return moduleRefusal(await loadModuleConfig(deps, businessId), member, moduleId) === null;
}
