import { eq, sql } from "drizzle-orm";
import type { Deps } from "../../deps";
import type { Db, Tx } from "../../db/types";
import { writeTransaction } from "../../db/transaction";
import { z } from "zod";
import { AppError, validationError, type FieldErrors } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { hasRole, requireMembership, requireRole } from "./access";
import { findModule, moduleHref, moduleRegistry, SETTINGS_MODULE_ID, type ModuleDefinition, type ModuleVisibility } from "./modules";
import { BUSINESS_ROLES, businessModules, type BusinessMemberRow, type BusinessRole } from "./schema";
import { listUnits } from "./service";

/** A business's configuration of one module. */
export interface ModuleSetting extends ModuleVisibility {
  enabled: boolean;
}

export interface ConfiguredModule {
  module: ModuleDefinition;
  setting: ModuleSetting;
}

export interface ModuleConfig {
  businessId: string;
  /** Every module of the registry, in registry order, with its effective setting. */
  modules: ConfiguredModule[];
  /** True when the stored configuration could not be read and the safe default is shown instead. */
  fallback: boolean;
}

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

function defaultSetting(module: ModuleDefinition): ModuleSetting {
  const { enabled, allowedRoles, allowedDepartments, allowedPositions } = module.defaults;
  return { enabled, allowedRoles: [...allowedRoles], allowedDepartments: [...allowedDepartments], allowedPositions: [...allowedPositions] };
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

/** The stored rows, with the JSON read by hand so a bad value is reported here rather than deep in the driver. */
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
  return rows.map((row) => {
    const roles = parseStringList(row.roles);
    const departments = parseStringList(row.departments);
    const positions = parseStringList(row.positions);
    const enabled = row.enabled === 1 || row.enabled === 0 ? row.enabled === 1 : null;
    if (!roles || !roles.every(isRole) || !departments || !positions || enabled === null) return { moduleId: row.moduleId, setting: null };
    return { moduleId: row.moduleId, setting: { enabled, allowedRoles: roles, allowedDepartments: departments, allowedPositions: positions } };
  });
}

/**
 * The business's module configuration: stored rows merged over the registry's defaults. If it cannot
 * be loaded (the query fails, or a stored value is not a list of strings) the failure is logged and
 * the safe default is returned, so the workspace still opens.
 */
export async function loadModuleConfig(
  deps: Pick<Deps, "db" | "log">,
  businessId: string,
  context: { requestId?: string } = {},
  registry = moduleRegistry(),
): Promise<ModuleConfig> {
  try {
    const stored = new Map<string, ModuleSetting>();
    for (const row of await readStoredRows(deps.db, businessId)) {
      if (!row.setting) throw new Error(`business_modules row for module "${row.moduleId}" holds a value that is not a list of strings`);
      stored.set(row.moduleId, row.setting);
    }
    // Rows for modules the registry no longer has (an uninstalled marketplace module) are ignored.
    const modules = registry.map((module) => ({ module, setting: stored.get(module.id) ?? defaultSetting(module) }));
    return { businessId, modules, fallback: false };
  } catch (error) {
    deps.log({
      level: "error",
      msg: "module configuration failed to load; showing the safe default",
      businessId,
      requestId: context.requestId,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return safeDefaultConfig(businessId, registry);
  }
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

/** A change to one module; an omitted field keeps its current value. Values are checked by updateModuleConfig. */
export interface ModuleUpdate {
  moduleId: string;
  enabled?: boolean;
  allowedRoles?: string[];
  allowedDepartments?: string[];
  allowedPositions?: string[];
}

type ListField = "allowedRoles" | "allowedDepartments" | "allowedPositions";

export interface UpdateOptions {
  /** How an error is keyed in fieldErrors; the form uses "<module>.<field>", the JSON API just "<field>". */
  errorKey?: (moduleId: string, field: ListField | "enabled") => string;
  registry?: readonly ModuleDefinition[];
}

const unique = (values: string[]) => [...new Set(values)];

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
  const registry = options.registry ?? moduleRegistry();
  const key = options.errorKey ?? ((moduleId, field) => `${moduleId}.${field}`);
  const [departments, positions] = await Promise.all([listUnits(deps, businessId, "department"), listUnits(deps, businessId, "position")]);
  const known: Record<ListField, Set<string>> = {
    allowedRoles: new Set(BUSINESS_ROLES),
    allowedDepartments: new Set(departments.map((d) => d.id)),
    allowedPositions: new Set(positions.map((p) => p.id)),
  };
  const what: Record<ListField, string> = { allowedRoles: "a role", allowedDepartments: "a department of this business", allowedPositions: "a position of this business" };

  const errors: FieldErrors = {};
  const seen = new Set<string>();
  for (const update of updates) {
    if (!findModule(registry, update.moduleId)) {
      (errors.modules ??= []).push(`“${update.moduleId}” is not a module.`);
      continue;
    }
    if (seen.has(update.moduleId)) (errors.modules ??= []).push(`“${update.moduleId}” is listed twice.`);
    seen.add(update.moduleId);
    for (const field of ["allowedRoles", "allowedDepartments", "allowedPositions"] as const) {
      const bad = (update[field] ?? []).filter((value) => !known[field].has(value));
      if (bad.length) errors[key(update.moduleId, field)] = bad.map((value) => `“${value}” is not ${what[field]}.`);
    }
  }
  if (Object.keys(errors).length) throw validationError(errors, "Some module settings are not valid.");

  const settings: Record<string, ModuleSetting> = {};
  await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    const stored = new Map((await readStoredRows(tx, businessId)).map((row) => [row.moduleId, row.setting]));
    const before: Record<string, ModuleSetting | "unreadable"> = {};
    const after: Record<string, ModuleSetting> = {};
    for (const update of updates) {
      const module = findModule(registry, update.moduleId)!;
      const current = stored.get(module.id);
      const base = current ?? defaultSetting(module);
      const next: ModuleSetting = {
        enabled: update.enabled ?? base.enabled,
        allowedRoles: update.allowedRoles ? (unique(update.allowedRoles) as BusinessRole[]) : base.allowedRoles,
        allowedDepartments: update.allowedDepartments ? unique(update.allowedDepartments) : base.allowedDepartments,
        allowedPositions: update.allowedPositions ? unique(update.allowedPositions) : base.allowedPositions,
      };
      settings[module.id] = next;
      const unreadable = stored.has(module.id) && current === null;
      if (!unreadable && JSON.stringify(next) === JSON.stringify(base)) continue;
      before[module.id] = unreadable ? "unreadable" : base;
      after[module.id] = next;
      await tx
        .insert(businessModules)
        .values({ businessId, moduleId: module.id, ...next, updatedAt: now })
        .onConflictDoUpdate({ target: [businessModules.businessId, businessModules.moduleId], set: { ...next, updatedAt: now } });
    }
    if (Object.keys(after).length === 0) return;
    await recordAudit(tx, now, meta, {
      actorUserId: userId,
      action: "business.modules_update",
      targetType: "business",
      targetId: businessId,
      details: { before, after },
    });
  });
  return { config: await loadModuleConfig(deps, businessId, { requestId: meta.requestId }, registry), settings };
}

/** PUT /api/businesses/:id/modules/:moduleId: an omitted field keeps its value. */
export const moduleUpdateInput = z.strictObject({
  enabled: z.boolean({ error: "Give true or false." }).optional(),
  allowedRoles: z.array(z.string().max(40), { error: "Give a list of roles." }).max(BUSINESS_ROLES.length * 2).optional(),
  allowedDepartments: z.array(z.string().max(64), { error: "Give a list of department ids." }).max(1000).optional(),
  allowedPositions: z.array(z.string().max(64), { error: "Give a list of position ids." }).max(1000).optional(),
});

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
export async function configureModule(deps: Deps, userId: string, businessId: string, moduleId: string, input: z.infer<typeof moduleUpdateInput>, meta: RequestMeta) {
  requireRole(await requireMembership(deps.db, userId, businessId), "admin", "configure modules");
  const registry = moduleRegistry();
  const module = findModule(registry, moduleId);
  if (!module) throw new AppError(404, "not_found", "There is no such module.");
  const { settings } = await updateModuleConfig(deps, userId, businessId, [{ moduleId, ...input }], meta, { errorKey: (_id, field) => field, registry });
  return { ...moduleJson(businessId, module), ...settings[module.id]! };
}
