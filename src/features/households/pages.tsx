import { Hono } from "hono";
import { z } from "zod";
import { HouseholdPage, type HouseholdPageProps } from "../../../views/households/HouseholdPage";
import { redirectAfterPost, render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm } from "../../http/validate";
import { AppError } from "../../lib/errors";
import { mayManageMembers } from "./policy";
import { changeHouseholdRole, listHouseholdMembers, removeHouseholdMember } from "./roster";
import { HOUSEHOLD_ROLES } from "./schema";
import { requireHouseholdMembership } from "./service";

const roleInput = z.object({ role: z.enum(HOUSEHOLD_ROLES, { error: "Choose owner, adult, teen or child." }) });

const MESSAGES: Record<string, string> = { role: "The role is changed.", removed: "The member is removed." };

async function showHousehold(c: AppContext, message: HouseholdPageProps["message"] = null, status: 200 | 404 | 409 | 422 = 200) {
  const { user } = requireUser(c);
  const { household, member } = await requireHouseholdMembership(c.var.deps.db, user.id, c.req.param("id")!);
  const members = await listHouseholdMembers(c.var.deps, household.id);
  const viewer = { userId: user.id, role: member.role, mayInvite: mayManageMembers(member.role), isOwner: member.role === "owner" };
  const saved = MESSAGES[c.req.query("saved") ?? ""];
  const shown = message ?? (saved ? { kind: "success" as const, text: saved } : null);
  return render(c, {
    title: household.name,
    status,
    fragment: <HouseholdPage household={household} viewer={viewer} members={members} roles={HOUSEHOLD_ROLES} message={shown} />,
  });
}

/** A refusal the owner can fix (the last owner, a member already gone) is shown on the page, not as an error page. */
async function ownerAction(c: AppContext, action: () => Promise<void>, done: string, after = "") {
  try {
    await action();
  } catch (error) {
    // For a household the caller is not in, showHousehold throws the same 404 again.
    if (error instanceof AppError && (error.status === 409 || error.status === 404)) {
      return showHousehold(c, { kind: "error", text: error.message }, error.status);
    }
    throw error;
  }
  return redirectAfterPost(c, after || `/household/${c.req.param("id")}?saved=${done}`);
}

/** /household/:id — members and roles; owners change roles and remove members (never the last owner). */
export function householdPages() {
  return new Hono<AppEnv>()
    .get("/household/:id", (c) => showHousehold(c))
    .post("/household/:id/members/:userId/role", async (c) => {
      const { user } = requireUser(c);
      const form = await parseForm(c, roleInput);
      if (!form.ok) return showHousehold(c, { kind: "error", text: "Choose owner, adult, teen or child." }, 422);
      const { id, userId } = c.req.param();
      return ownerAction(c, () => changeHouseholdRole(c.var.deps, user.id, id, userId, form.data.role, requestMeta(c)), "role");
    })
    .post("/household/:id/members/:userId/remove", async (c) => {
      const { user } = requireUser(c);
      const { id, userId } = c.req.param();
      return ownerAction(c, () => removeHouseholdMember(c.var.deps, user.id, id, userId, requestMeta(c)), "removed", userId === user.id ? "/home" : "");
    });
}
