import { Hono } from "hono";
import { NewBusinessForm } from "../../../views/workspace/fragments/NewBusinessForm";
import { redirectAfterPost, render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import { chooseContext, rememberContext } from "./contexts";
import { createBusinessInput, switchContextInput } from "./input";
import { createBusiness } from "./service";
import type { Child } from "hono/jsx";

/** Switching the header's context, and a new business. */
export function contextRoutes() {
  return new Hono<AppEnv>()
    .post("/contexts/switch", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, switchContextInput);
      const key = form.ok ? form.data.context : "";
      const target = await chooseContext(c.var.deps, user.id, key);
      return redirectAfterPost(c, target.href);
    })
    .get("/businesses/new", (c) => {
      requireUser(c);
      return render(c, { title: "New business", fragment: <NewBusinessForm />, page: () => newBusinessPage(<NewBusinessForm />) });
    })
    .post("/businesses/new", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, createBusinessInput);
      if (!form.ok) {
        const fragment = <NewBusinessForm values={form.values} errors={form.errors} />;
        return render(c, { title: "New business", status: 422, fragment, page: () => newBusinessPage(fragment) });
      }
      const business = await createBusiness(c.var.deps, user.id, form.data, requestMeta(c));
      await rememberContext(c.var.deps, user.id, `business:${business.id}`);
      return redirectAfterPost(c, `/business/${business.id}/workspace`);
    });
}

function newBusinessPage(form: Child) {
  return (
    <section class="narrow-page">
      <h1>New business or institution</h1>
      <p class="muted">You become its owner. Invite members, set up departments and choose its modules next.</p>
      {form}
    </section>
  );
}
