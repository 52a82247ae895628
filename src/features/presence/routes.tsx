import { Hono } from "hono";
import { PresencePage } from "../../../views/presence/PresencePage";
import { StatusMenu } from "../../../views/presence/StatusMenu";
import { answerForm, tryForm } from "../../http/forms";
import { render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { safeRedirectTarget } from "../../http/safe-redirect";
import type { AppContext, AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import type { FieldErrors } from "../../lib/errors";
import { statusForm } from "./input";
import { ownStatus, setStatus, type OwnStatus } from "./service";

/** The page htmx loaded the menu into (HX-Current-URL), as a path on this site; /presence when unknown. */
function pageOf(c: AppContext): string {
  const current = c.req.header("hx-current-url");
  if (!current) return "/presence";
  try {
    const url = new URL(current);
    if (url.host !== new URL(c.req.url).host) return "/presence";
    return safeRedirectTarget(url.pathname + url.search, "/presence");
  } catch {
    return "/presence";
  }
}

interface Shown {
  userId: string;
  own: OwnStatus;
  back: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
  saved?: boolean;
}

const menu = (shown: Shown) => <StatusMenu userId={shown.userId} own={shown.own} back={shown.back} values={shown.values} errors={shown.errors} open={Boolean(shown.errors)} />;
const page = (shown: Shown) => <PresencePage userId={shown.userId} own={shown.own} values={shown.values} errors={shown.errors} saved={shown.saved} />;

/**
 * GET /presence — your status and the form (the header menu without JavaScript); GET /presence/menu —
 * the header's status menu (htmx loads it after the page); POST /presence/status — sets it, then
 * back to the page it came from (303), or the menu or page fragment for htmx.
 */
export function presenceRoutes() {
  return new Hono<AppEnv>()
    .get("/presence", async (c) => {
      const { user } = requireUser(c);
      const shown = { userId: user.id, own: await ownStatus(c.var.deps, user.id), back: "/presence", saved: c.req.query("saved") === "1" };
      return render(c, { title: "Your status", fragment: page(shown) });
    })
    .get("/presence/menu", async (c) => {
      const { user } = requireUser(c);
      const shown = { userId: user.id, own: await ownStatus(c.var.deps, user.id), back: pageOf(c) };
      return render(c, { title: "Your status", fragment: menu(shown), page: () => page(shown) });
    })
    .post("/presence/status", async (c) => {
      const { user } = requireUser(c);
      const deps = c.var.deps;
      const form = await parseForm(c, statusForm);
      const from = form.values.from === "menu" ? "menu" : "page";
      const back = safeRedirectTarget(form.values.back, "/presence");
      const view = (shown: Shown) => (from === "menu" ? menu(shown) : page(shown));
      if (!form.ok) {
        const shown = { userId: user.id, own: await ownStatus(deps, user.id), back, values: form.values, errors: form.errors };
        return answerForm(c, { ok: false, title: "Your status", status: 422, fragment: view(shown), page: () => page(shown) });
      }
      const { status, text, dndFor } = form.data;
      const done = await tryForm(c, async () => {
        const dndUntil = dndFor === "keep" ? (await ownStatus(deps, user.id)).dndUntil : dndFor === "" ? null : deps.now() + Number(dndFor) * 60_000;
        return setStatus(deps, user.id, { status, text, dndUntil });
      });
      if (!done.ok) {
        const shown = { userId: user.id, own: await ownStatus(deps, user.id), back, values: form.values, errors: done.errors };
        return answerForm(c, { ...done, title: "Your status", fragment: view(shown), page: () => page(shown) });
      }
      const shown = { userId: user.id, own: done.value, back, saved: true };
      return answerForm(c, { ok: true, redirect: back === "/presence" ? "/presence?saved=1" : back, fragment: () => view(shown) });
    });
}
