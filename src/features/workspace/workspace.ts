// What the workspace pages read before they draw a tab: the membership, the module configuration
// and what this member sees, and the header's remembered context.
import type { Deps } from "../../deps";
import type { Db } from "../../db/types";
import { membershipFrom, requireMembership, selectMembership, type Membership } from "./access";
import { activeContextOf, activeContextSql, rememberContext } from "./contexts";
import { configFromStored, loadModuleConfig, storedModulesJson, visibleModules, type ModuleConfig } from "./module-config";
import type { ModuleDefinition } from "./modules";
import { businessMembers } from "./schema";

export interface Workspace {
  membership: Membership;
  config: ModuleConfig;
  visible: ModuleDefinition[];
}

export interface OpenedWorkspace extends Workspace {
  /** The header's active context before this request (context_preferences), null when none was chosen. */
  activeContext: string | null;
}

/** The workspace around a configuration: what this member sees of it. */
export function workspaceOf(membership: Membership, config: ModuleConfig): Workspace {
  return { membership, config, visible: visibleModules(config, membership.member) };
}

/** Membership first (404 for anyone outside), then the configuration and what this member sees. */
export async function openWorkspace(deps: Pick<Deps, "db" | "log">, userId: string, businessId: string, requestId?: string): Promise<OpenedWorkspace> {
  const context = { requestId };
  let lookup = workspaceLookups.get(deps.db);
  if (!lookup) workspaceLookups.set(deps.db, (lookup = prepareWorkspaceLookup(deps.db)));
  let rows;
  try {
    rows = await lookup.all({ userId, businessId });
  } catch {
    // One of the parts cannot be read (say a module row the JSON functions refuse): ask them one by
    // one, so that a broken module configuration still opens on the safe default, as it always has.
    const membership = await requireMembership(deps.db, userId, businessId);
    const config = await loadModuleConfig(deps, businessId, context);
    return { ...workspaceOf(membership, config), activeContext: await activeContextOf(deps, userId) };
  }
  const membership = membershipFrom(rows[0]);
  const { modules, activeContext } = rows[0]!;
  const config = configFromStored(deps, businessId, modules, context);
  return { ...workspaceOf(membership, config), activeContext };
}

// Every workspace GET opens here, so the membership, the module configuration and the remembered
// context come back from one statement, prepared once per database (docs/performance.md: each
// statement costs tens of µs in the driver, and drizzle builds the SQL anew unless it is prepared).
const workspaceLookups = new WeakMap<Db, ReturnType<typeof prepareWorkspaceLookup>>();
function prepareWorkspaceLookup(db: Db) {
  return selectMembership(db, {
    modules: storedModulesJson(businessMembers.businessId),
    activeContext: activeContextSql(businessMembers.userId),
  }).prepare();
}

/** Makes this business the header's active context; written only when it changes, so tab switches stay reads. */
export async function rememberBusiness(deps: Pick<Deps, "db" | "now">, workspace: OpenedWorkspace): Promise<void> {
  const key = `business:${workspace.membership.business.id}`;
  if (workspace.activeContext !== key) await rememberContext(deps, workspace.membership.member.userId, key);
}
