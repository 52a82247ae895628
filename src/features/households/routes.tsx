import { Hono } from "hono";
import type { Child } from "hono/jsx";
import { HouseholdPage, type HouseholdPageProps } from "../../../views/households/HouseholdPage";
import { NewHouseholdForm } from "../../../views/households/fragments/NewHouseholdForm";
import type { Deps } from "../../deps";
import { answerForm, tryForm, type FormStatus } from "../../http/forms";
import { render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm, readForm } from "../../http/validate";
import { presenceOf } from "../presence";
import { householdInput, roleInput } from "./input";
import { mayManageMembers } from "./policy";
import { changeHouseholdRole, listHouseholdMembers, removeHouseholdMember, setChildrenMayPost } from "./roster";
import { HOUSEHOLD_ROLES } from "./schema";
import { createHousehold, requireHouseholdMembership } from "./service";

const MESSAGES: Record<string, string> = { role: "The role is changed.", removed: "The member is removed.", policy: "The chat policy is saved." };

async function showHousehold(c: AppContext, message: HouseholdPageProps["message"] = null, status: 200 | FormStatus = 200) {
  const { user } = requireUser(c);
  const { household, member } = await requireHouseholdMembership(c.var.deps.db, user.id, c.req.param("id")!);
  const members = await listHouseholdMembers(c.var.deps, household.id);
  const presence = Object.fromEntries(await presenceOf(c.var.deps, members.map((m) => m.userId)));
  const viewer = { userId: user.id, role: member.role, mayInvite: mayManageMembers(member.role), isOwner: member.role === "owner" };
  const saved = MESSAGES[c.req.query("saved") ?? ""];
  const shown = message ?? (saved ? { kind: "success" as const, text: saved } : null);
  return render(c, {
    title: household.name,
    status,
    fragment: <HouseholdPage household={{ id: household.id, name: household.name, childrenMayPost: household.childrenMayPost }} viewer={viewer} members={members} presence={presence} roles={HOUSEHOLD_ROLES} message={shown} />,
  });
}

/** A refusal the owner can fix (the last owner, a member already gone) is shown on the page, not as an error page. */
async function ownerAction(c: AppContext, action: () => Promise<void>, done: string, after = "") {
  // For a household the caller is not in, showHousehold throws the same 404 again; a 403 (not an owner) is the error page.
  const acted = await tryForm(c, action, { alsoShow: [404] });
  if (!acted.ok) return showHousehold(c, { kind: "error", text: acted.message }, acted.status);
  return answerForm(c, { ok: true, redirect: after || `/household/${c.req.param("id")}?saved=${done}` });
}

/** What app.ts wires in: the header remembers a new household as the active context (the workspace feature's table). */
export interface HouseholdRouteOptions {
  afterCreate?: (deps: Deps, userId: string, householdId: string) => Promise<void>;
}

/**
 * /households/new — a new household with the caller as owner; /household/:id — members and roles;
 * owners change roles and remove members (never the last owner).
 */
export function householdRoutes(options: HouseholdRouteOptions = {}) {
  return new Hono<AppEnv>()
    .get("/households/new", (c) => {
      requireUser(c);
      return render(c, { title: "New household", fragment: <NewHouseholdForm />, page: () => newHouseholdPage(<NewHouseholdForm />) });
    })
    .post("/households/new", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, householdInput);
      if (!form.ok) {
        const fragment = <NewHouseholdForm values={form.values} errors={form.errors} />;
        return answerForm(c, { ok: false, title: "New household", status: 422, fragment, page: () => newHouseholdPage(fragment) });
      }
      const household = await createHousehold(c.var.deps, user.id, form.data.name, requestMeta(c));
      await options.afterCreate?.(c.var.deps, user.id, household.id);
      return answerForm(c, { ok: true, redirect: `/household/${household.id}` });
    })
    .get("/household/:id", (c) => showHousehold(c))
    .post("/household/:id/members/:userId/role", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, roleInput);
      if (!form.ok) return showHousehold(c, { kind: "error", text: "Choose owner, adult, teen or child." }, 422);
      const { id, userId } = c.req.param();
      return ownerAction(c, () => changeHouseholdRole(c.var.deps, user.id, id, userId, form.data.role, requestMeta(c)), "role");
    })
    .post("/household/:id/chat-policy", async (c) => {
      const { user } = requireUser(c);
      const form = await readForm(c);
      return ownerAction(c, () => setChildrenMayPost(c.var.deps, user.id, c.req.param("id"), form.values.childrenMayPost === "on", requestMeta(c)), "policy");
    })
    .post("/household/:id/members/:userId/remove", async (c) => {
      const { user } = requireUser(c);
      const { id, userId } = c.req.param();
      return ownerAction(c, () => removeHouseholdMember(c.var.deps, user.id, id, userId, requestMeta(c)), "removed", userId === user.id ? "/home" : "");
    });
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
