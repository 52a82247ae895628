import type { AppContext } from "../../http/types";
import type { PersonalDataSource } from "../privacy";
import { runExports } from "./job";

/**
 * Starts building at once rather than at the next scheduled run. On Workers the build is kept alive
 * past the response with waitUntil; on Bun it simply runs on in the process. The claim in the
 * database keeps a kick and the scheduled job from building one export twice.
 */
export function kickExports(c: AppContext, sources: readonly PersonalDataSource[]): void {
  const deps = c.var.deps;
  const work = runExports(deps, sources).catch((error) => deps.log({ level: "error", msg: "export kick failed", error: String(error) }));
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (Bun): the promise runs on by itself.
  }
}
