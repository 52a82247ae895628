// Where a module's tab lives in each kind of space: the host page that frames it.
import type { ModuleContextType } from "./schema";

export function hostPath(type: ModuleContextType, contextId: string, moduleId: string): string {
  const m = encodeURIComponent(moduleId);
  if (type === "business") return `/business/${encodeURIComponent(contextId)}/workspace/m/${m}`;
  if (type === "household") return `/household/${encodeURIComponent(contextId)}/m/${m}`;
  return `/m/${m}`;
}

/** The space's pages a module may send the person to with the bridge's `navigate` (paths under `within`), and the
 * two it is told of in the `ready` answer. */
export interface SpacePaths {
  home: string;
  calendar: string;
  within: string[];
}

export function spacePaths(type: ModuleContextType, contextId: string): SpacePaths {
  const id = encodeURIComponent(contextId);
  if (type === "business") return { home: `/business/${id}/workspace`, calendar: `/business/${id}/workspace/calendar`, within: [`/business/${id}/workspace`] };
  if (type === "household") return { home: `/household/${id}`, calendar: `/household/${id}/calendar`, within: [`/household/${id}`] };
  return { home: "/home", calendar: "/calendar", within: ["/home", "/calendar", "/m"] };
}
