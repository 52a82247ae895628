// Where a module's tab lives in each kind of space: the host page that frames it.
import type { ModuleContextType } from "./schema";

export function hostPath(type: ModuleContextType, contextId: string, moduleId: string): string {
  const m = encodeURIComponent(moduleId);
  if (type === "business") return `/business/${encodeURIComponent(contextId)}/workspace/m/${m}`;
  if (type === "household") return `/household/${encodeURIComponent(contextId)}/m/${m}`;
  return `/m/${m}`;
}
