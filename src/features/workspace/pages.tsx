import { Hono } from "hono";
import { NewHouseholdForm } from "../../../views/households/fragments/NewHouseholdForm";
import { HomePage } from "../../../views/workspace/HomePage";
import { NewBusinessForm } from "../../../views/workspace/fragments/NewBusinessForm";
import { redirectAfterPost, render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import { createHousehold } from "../households";
import { chooseContext, rememberContext } from "./contexts";
import { homeCards } from "./home";
import { createBusinessInput, contextKey, householdInput } from "./input";
import { createBusiness } from "./service";
import { z } from "zod";
import type { Child } from "hono/jsx";

export function workspacePages() {
  return new Hono<AppEnv>()
    .get("/home", async (c) => {
      const { user } = requireUser(c);
      const cards = await homeCards(c.var.deps, user.id);
      return render(c, { title: "Home", fragment: <HomePage name={user.name} cards={cards} /> });
    })
    .post("/contexts/switch", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, z.object({ context: contextKey }));
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
    })
    .get("/households/new", (c) => {
      requireUser(c);
      return render(c, { title: "New household", fragment: <NewHouseholdForm />, page: () => newHouseholdPage(<NewHouseholdForm />) });
    })
    .post("/households/new", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, householdInput);
      if (!form.ok) {
        const fragment = <NewHouseholdForm values={form.values} errors={form.errors} />;
        return render(c, { title: "New household", status: 422, fragment, page: () => newHouseholdPage(fragment) });
      }
      const household = await createHousehold(c.var.deps, user.id, form.data.name, requestMeta(c));
      await rememberContext(c.var.deps, user.id, `household:${household.id}`);
      return redirectAfterPost(c, `/household/${household.id}`);
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

function newHouseholdPage(form: Child) {
  return (
    <section class="narrow-page">
      <h1>New household</h1>
      <p class="muted">Share a calendar and chat with the people you live with. You become its owner.</p>
      {form}
    </section>
  );
}
