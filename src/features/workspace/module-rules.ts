// The rules for configuring a business's modules, as pure functions: the service reads what they
// need (the business's departments and positions, and inside its write transaction the stored
// rows), plans here, and writes only what changed with one audit event. No database, no Hono.
import type { FieldErrors } from "../../lib/errors";
import { findModule, type ModuleDefinition, type ModuleVisibility } from "./modules";
import { BUSINESS_ROLES, type BusinessRole } from "./schema";

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

/** A change to one module; an omitted field keeps its current value. Values are checked by checkModuleUpdates. */
export interface ModuleUpdate {
  moduleId: string;
  enabled?: boolean;
  allowedRoles?: string[];
  allowedDepartments?: string[];
  allowedPositions?: string[];
}

export type ListField = "allowedRoles" | "allowedDepartments" | "allowedPositions";

/** How an error is keyed in fieldErrors; the form uses "<module>.<field>", the JSON API just "<field>". */
export type ErrorKey = (moduleId: string, field: ListField | "enabled") => string;

/** How a business that never configured the module sees it. */
export function defaultSetting(module: ModuleDefinition): ModuleSetting {
  const { enabled, allowedRoles, allowedDepartments, allowedPositions } = module.defaults;
  return { enabled, allowedRoles: [...allowedRoles], allowedDepartments: [...allowedDepartments], allowedPositions: [...allowedPositions] };
}

const LIST_FIELDS = ["allowedRoles", "allowedDepartments", "allowedPositions"] as const;
const WHAT: Record<ListField, string> = { allowedRoles: "a role", allowedDepartments: "a department of this business", allowedPositions: "a position of this business" };

/**
 * What is wrong with these updates (empty when nothing): unknown or repeated modules, and roles,
 * departments or positions that are not this business's (`departmentIds`, `positionIds`).
 */
export function checkModuleUpdates(
  updates: ModuleUpdate[],
  business: { departmentIds: Set<string>; positionIds: Set<string> },
  registry: readonly ModuleDefinition[],
  key: ErrorKey,
): FieldErrors {
  const known: Record<ListField, Set<string>> = { allowedRoles: new Set(BUSINESS_ROLES), allowedDepartments: business.departmentIds, allowedPositions: business.positionIds };
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  for (const update of updates) {
    if (!findModule(registry, update.moduleId)) {
      (errors.modules ??= []).push(`“${update.moduleId}” is not a module.`);
      continue;
    }
    if (seen.has(update.moduleId)) (errors.modules ??= []).push(`“${update.moduleId}” is listed twice.`);
    seen.add(update.moduleId);
    for (const field of LIST_FIELDS) {
      const bad = (update[field] ?? []).filter((value) => !known[field].has(value));
      if (bad.length) errors[key(update.moduleId, field)] = bad.map((value) => `“${value}” is not ${WHAT[field]}.`);
    }
  }
  return errors;
}

/** What to write: each changed module's new setting, and the audit's before and after. */
export interface ModulePlan {
  /** The setting each named module has after the save, changed or not. */
  settings: Record<string, ModuleSetting>;
  writes: { moduleId: string; setting: ModuleSetting }[];
  before: Record<string, ModuleSetting | "unreadable">;
  after: Record<string, ModuleSetting>;
}

const unique = (values: string[]) => [...new Set(values)];

/**
 * Plans checked updates (checkModuleUpdates found nothing) over the stored settings (null for a
 * stored row that cannot be read): an omitted field keeps the stored value, or the module's default.
 * A module whose setting does not change is not written, unless its stored row was unreadable.
 */
export function planModuleChanges(updates: ModuleUpdate[], stored: Map<string, ModuleSetting | null>, registry: readonly ModuleDefinition[]): ModulePlan {
  const plan: ModulePlan = { settings: {}, writes: [], before: {}, after: {} };
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
    plan.settings[module.id] = next;
    const unreadable = stored.has(module.id) && current === null;
    if (!unreadable && JSON.stringify(next) === JSON.stringify(base)) continue;
    plan.before[module.id] = unreadable ? "unreadable" : base;
    plan.after[module.id] = next;
    plan.writes.push({ moduleId: module.id, setting: next });
  }
  return plan;
}

/**
 * The module table as posted (each key's values as sent, `readForm`'s `lists`): every row names its
 * module in a hidden `module` field, and an unticked box sends nothing (so every list, and
 * `enabled`, is given for every named module).
 */
export function moduleUpdatesFromForm(lists: Record<string, string[]>): ModuleUpdate[] {
  const list = (key: string): string[] => lists[key] ?? [];
  return [...new Set(list("module"))].map((moduleId) => ({
    moduleId,
    enabled: list(`${moduleId}.enabled`).length > 0,
    allowedRoles: list(`${moduleId}.allowedRoles`),
    allowedDepartments: list(`${moduleId}.allowedDepartments`),
    allowedPositions: list(`${moduleId}.allowedPositions`),
  }));
}

/** What the form shows after a refused save: the saved configuration with what was sent in its place. */
export function withSentValues(config: ModuleConfig, updates: ModuleUpdate[]): ModuleConfig {
  return { ...config, modules: config.modules.map((configured) => mergeSent(configured, updates)) };
}

function mergeSent(configured: ConfiguredModule, updates: ModuleUpdate[]): ConfiguredModule {
  const sent = updates.find((u) => u.moduleId === configured.module.id);
  if (!sent) return configured;
  const { setting } = configured;
  return {
    module: configured.module,
    setting: {
      enabled: sent.enabled ?? setting.enabled,
      allowedRoles: (sent.allowedRoles ?? setting.allowedRoles) as typeof setting.allowedRoles,
      allowedDepartments: sent.allowedDepartments ?? setting.allowedDepartments,
      allowedPositions: sent.allowedPositions ?? setting.allowedPositions,
    },
  };
}
