// The pages that frame a module: a business's tab (/business/:id/workspace/m/:moduleId, drawn inside the workspace
// by `marketplaceTab`), a household's (/household/:id/m/:moduleId) and one's own (/m/:moduleId); and the region
// itself (/modules/:moduleId/host?context=…), which re-fetches itself live when the module changes. Each response
// that frames a module allows exactly its origin in frame-src; a module that cannot run shows why instead.
import { Hono } from "hono";
import { ModuleHost, type ModuleState } from "../../../views/modules/ModuleHost";
import { render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { allowFrameFrom } from "../../http/secure-headers";
import type { AppContext, AppEnv } from "../../http/types";
import { AppError } from "../../lib/errors";
import type { TabRenderer } from "../workspace";
import { runnableModule, runtimeJson } from "./runtime";
import { moduleOrigin } from "./manifest";
import { hostPath, spacePaths } from "./host-paths";

const regionUrl = (moduleId: string, context: string) => `/modules/${encodeURIComponent(moduleId)}/host?context=${encodeURIComponent(context)}`;

const STOPPED: Record<string, { title: string; text: string }> = {
  module_suspended: { title: "This module is suspended", text: "The platform's reviewers stopped it for now. It will come back here if they lift the suspension." },
  payment_required: { title: "This module needs a subscription", text: "It is a paid module and this space does not subscribe to it." },
  not_installed: { title: "This module is not installed here", text: "An owner or admin of this space can install it from the marketplace." },
};

/** The module's state for this person in this space; allows its origin in this response's frame-src when it runs. */
async function hostState(c: AppContext, moduleId: string, context: string): Promise<ModuleState> {
  const { user } = requireUser(c);
  const selfUrl = regionUrl(moduleId, context);
  try {
    const run = await runnableModule(c.var.deps, user.id, moduleId, context);
    const json = runtimeJson(run);
    allowFrameFrom(c, moduleOrigin(run.manifest));
    return {
      kind: "run",
      frame: {
        moduleId: run.module.id,
        name: run.module.name,
        entryUrl: json.manifest.entryUrl,
        origin: json.origin,
        context: json.context,
        sandbox: json.frame.sandbox,
        allow: json.frame.allow,
        bridge: json.manifest.bridge,
        tokenUrl: json.tokenUrl,
        paths: spacePaths(run.ref.type, run.ref.id),
        pageUrl: hostPath(run.ref.type, run.ref.id, run.module.id),
        selfUrl,
      },
    };
  } catch (error) {
    const stopped = error instanceof AppError ? STOPPED[error.code] : undefined;
    if (!stopped) throw error;
    // A paid module without a subscription: the way to one is the space's billing page (its payers can subscribe there).
    const [type, id] = context.split(":");
    const action = error instanceof AppError && error.code === "payment_required" && type && id ? { href: `/billing/${type}/${encodeURIComponent(id)}`, label: "See the space's plan and subscribe" } : undefined;
    return { kind: "stopped", moduleId, name: "", selfUrl, ...stopped, action };
  }
}

/** The business workspace's renderer for marketplace tabs (app.ts passes it to the workspace as `marketplace`). */
export const marketplaceTab: TabRenderer = async (c, { business }) => <ModuleHost state={await hostState(c, c.req.param("moduleId") ?? "", `business:${business.id}`)} />;

export function hostRoutes() {
  return new Hono<AppEnv>()
    .get("/modules/:moduleId/host", async (c) => {
      const context = c.req.query("context") ?? "";
      const state = await hostState(c, c.req.param("moduleId"), context);
      // The live region re-fetches itself; a frame swapped into the page would meet the page's CSP, which allowed no
      // frame when the module could not run (or an older origin): the page loads again, with this response's CSP.
      if (state.kind === "run" && wantsFragment(c)) {
        c.header("HX-Refresh", "true");
        return c.body(null, 204);
      }
      return render(c, { title: "Module", fragment: <ModuleHost state={state} /> });
    })
    .get("/m/:moduleId", async (c) => {
      const { user } = requireUser(c);
      const state = await hostState(c, c.req.param("moduleId"), `personal:${user.id}`);
      return render(c, { title: state.kind === "run" ? state.frame.name : state.title, fragment: <ModuleHost state={state} /> });
    })
    .get("/household/:id/m/:moduleId", async (c) => {
      const state = await hostState(c, c.req.param("moduleId"), `household:${c.req.param("id")}`);
      return render(c, {
        title: state.kind === "run" ? state.frame.name : state.title,
        fragment: <ModuleHost state={state} />,
        page: () => (
          <>
            <p>
              <a href={`/household/${encodeURIComponent(c.req.param("id"))}`}>← Household</a>
            </p>
            <ModuleHost state={state} />
          </>
        ),
      });
    });
}

