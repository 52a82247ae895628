import type { PageRenderer } from "../realtime";
import { moduleLiveEvent } from "../../../views/modules/ModuleHost";
import { MODULES_CHANGED } from "./installs";

export const modulePageEvents: Record<string, PageRenderer> = {
  /** A module was suspended, updated or removed in this space: its host region (hx-trigger="sse:module-<id>") re-fetches itself. */
  [MODULES_CHANGED]: (_deps, row) => [{ event: moduleLiveEvent(String(row.payload.moduleId)), data: "" }],
};
