import { Hono } from "hono";
import { MembersPage, MembersPanel } from "../../../views/members/MembersPanel";
import { memberRow, tableOf } from "../../../views/members/fragments/MemberTable";
import { editHref, onPage, tabHref, type MembersPanelProps } from "../../../views/members/types";
import { redirectAfterPost, render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm, readForm } from "../../http/validate";
import { tryForm, type FormFailure } from "../../http/forms";
import { AppError } from "../../lib/errors";
import { requireMembership, type Membership } from "./access";
import { moduleGate } from "./module-gate";
import { unitInput } from "./input";
import { bulkAnswer, canManage, planBulkForm } from "./member-rules";
import { bulkRemoveMembers, bulkUpdateMembers, leaveBusiness, selectMembers, updateMember } from "./members";
import { keptMembersPanel, loadMembersPanel, noticeText, pageNumber, type MemberNotice } from "./members-tab";
import { createUnit, deleteUnit, renameUnit, type UnitKind } from "./service";

type Loaded = "businessId" | "businessName" | "me" | "manages" | "manageableRoles" | "grantableRoles" | "pageSize" | "members" | "total" | "page" | "pages" | "departments" | "positions";
type Extra = Partial<Omit<MembersPanelProps, Loaded>>;

/** The caller's membership of :id, checked before anything else is read (404 for outsiders). */
async function membershipOf(c: AppContext): Promise<Membership> {
  const { user } = requireUser(c);
  return requireMembership(c.var.deps.db, user.id, c.req.param("id")!);
}

/**
 * The panel (htmx) or the panel in a page (plain form) with a message, errors or a confirm step.
 * The page of the member table comes from `?page=`, which every panel form carries in its action.
 */
async function panel(c: AppContext, membership: Membership, extra: Extra, status = 200) {
  const fragment = <MembersPanel {...await loadMembersPanel(c, membership)} {...extra} />;
  const { business } = membership;
  return render(c, {
    title: `Members · ${business.name}`,
    status: status as 200,
    fragment,
    page: () => <MembersPage businessId={business.id} businessName={business.name}>{fragment}</MembersPage>,
  });
}

/** After a change: the fresh panel for htmx, a 303 back to the tab for a plain form. */
async function done(c: AppContext, membership: Membership, notice: MemberNotice) {
  if (wantsFragment(c)) return panel(c, membership, { notice: noticeText(notice) });
  return redirectAfterPost(c, onPage(`${tabHref(membership.business.id)}?notice=${notice}`, pageNumber(c.req.query("page"))));
}

/**
 * Runs an action; a refusal the member can act on is shown in the panel: besides what every form
 * shows, "you may not" (403) and "already gone" (404); an invalid request is a 422.
 */
const attempt = <T,>(c: AppContext, action: () => Promise<T>) => tryForm(c, action, { alsoShow: [403, 404], invalidStatus: 422 });

/** A form whose keys may repeat (userId=…&userId=…): every value of a key, or its first. */
async function readMemberForm(c: AppContext) {
  const { lists } = await readForm(c);
  const all = (key: string): string[] => lists[key] ?? [];
  return { all, one: (key: string) => all(key)[0] ?? "" };
}

function unitKind(c: AppContext): UnitKind {
  const kind = c.req.param("kind");
  if (kind === "department" || kind === "position") return kind;
  throw new AppError(404, "not_found", "There is nothing at this address.");
}

/** Form posts and the panel fragment under /business/:id/members (the tab itself is /business/:id/workspace/members). */
export function memberRoutes() {
  const gate = moduleGate("members");
  return new Hono<AppEnv>()
    // The members module's data: refused to whoever the module is hidden from, like its tab.
    .use("/business/:id/members", gate)
    .use("/business/:id/members/*", gate)
    .get("/business/:id/members", async (c) => {
      const membership = await membershipOf(c);
      if (!wantsFragment(c)) return c.redirect(`/business/${membership.business.id}/workspace/members`, 303);
      // The pager's request: nothing said, no row open — the panel as kept for these same inputs.
      return render(c, { title: `Members · ${membership.business.name}`, fragment: await keptMembersPanel(c, membership) });
    })
    .post("/business/:id/members/bulk", async (c) => {
      const membership = await membershipOf(c);
      const form = await readMemberForm(c);
      const ids = [...new Set(form.all("userId"))];
      const show = (extra: Extra, status: number) => panel(c, membership, { selected: ids, ...extra }, status);
      const posted = { action: form.one("action"), userIds: ids, role: form.one("role"), departmentId: form.one("departmentId"), positionId: form.one("positionId"), confirm: form.one("confirm") };
      const plan = planBulkForm(posted, membership.member);
      if (plan.kind === "refuse") return show({ error: plan.error }, plan.status);
      const chosen = await selectMembers(c.var.deps.db, membership.business.id, { userIds: ids });
      if (plan.kind === "remove" && !plan.confirmed) {
        return chosen.length ? show({ confirmRemove: chosen }, 200) : show({ error: "Select at least one member first." }, 422);
      }
      const run = plan.kind === "update" ? bulkUpdateMembers : bulkRemoveMembers;
      const outcome = await attempt(c, () => run(c.var.deps, membership.member.userId, membership.business.id, plan.rows, requestMeta(c)));
      if (!outcome.ok) return show({ error: outcome.message }, outcome.status);
      const answer = bulkAnswer(plan.kind, outcome.value.results, membership.member.userId);
      if (answer.kind === "left") return redirectAfterPost(c, "/home");
      if (answer.kind === "done") return done(c, membership, answer.notice);
      const names = Object.fromEntries(chosen.map((m) => [m.userId, m.name]));
      return show({ bulk: { action: plan.kind, results: outcome.value.results, names }, selected: answer.selected }, 200);
    })
    .post("/business/:id/members/leave", async (c) => {
      const membership = await membershipOf(c);
      const form = await readMemberForm(c);
      if (form.one("confirm") !== "yes") return panel(c, membership, { confirmLeave: true });
      const left = await attempt(c, () => leaveBusiness(c.var.deps, membership.member.userId, membership.business.id, requestMeta(c)));
      if (!left.ok) return panel(c, membership, { error: left.message }, left.status);
      return redirectAfterPost(c, "/home");
    })
    .post("/business/:id/members/units/:kind", async (c) => {
      const membership = await membershipOf(c);
      const kind = unitKind(c);
      const form = await parseForm(c, unitInput);
      const value = form.values.name ?? "";
      if (!form.ok) return panel(c, membership, { unitError: { kind, unitId: null, value, errors: form.errors } }, 422);
      const created = await attempt(c, () => createUnit(c.var.deps, membership.member.userId, membership.business.id, kind, form.data.name, requestMeta(c)));
      if (!created.ok) return unitFailure(c, membership, kind, null, value, created);
      return done(c, membership, "unit-saved");
    })
    .post("/business/:id/members/units/:kind/:unitId/rename", async (c) => {
      const membership = await membershipOf(c);
      const kind = unitKind(c);
      const unitId = c.req.param("unitId");
      const form = await parseForm(c, unitInput);
      const value = form.values.name ?? "";
      if (!form.ok) return panel(c, membership, { unitError: { kind, unitId, value, errors: form.errors } }, 422);
      const renamed = await attempt(c, () => renameUnit(c.var.deps, membership.member.userId, membership.business.id, kind, unitId, form.data.name, requestMeta(c)));
      if (!renamed.ok) return unitFailure(c, membership, kind, unitId, value, renamed);
      return done(c, membership, "unit-saved");
    })
    .post("/business/:id/members/units/:kind/:unitId/delete", async (c) => {
      const membership = await membershipOf(c);
      const kind = unitKind(c);
      const removed = await attempt(c, () => deleteUnit(c.var.deps, membership.member.userId, membership.business.id, kind, c.req.param("unitId"), requestMeta(c)));
      if (!removed.ok) return panel(c, membership, { error: removed.message }, removed.status);
      return done(c, membership, "unit-deleted");
    })
    .post("/business/:id/members/:userId/update", async (c) => {
      const membership = await membershipOf(c);
      const userId = c.req.param("userId");
      const form = await readMemberForm(c);
      const values = { role: form.one("role"), departmentId: form.one("departmentId"), positionId: form.one("positionId") };
      const patch = { role: values.role || undefined, departmentId: values.departmentId || null, positionId: values.positionId || null };
      const saved = await attempt(c, () => updateMember(c.var.deps, membership.member.userId, membership.business.id, userId, patch, requestMeta(c)));
      if (saved.ok) return done(c, membership, "member-saved");
      // The panel shows it in the row, or above the table when the page does not show that row.
      return panel(c, membership, { rowError: { userId, message: saved.message, errors: saved.error.fieldErrors, values } }, saved.status);
    })
    .get("/business/:id/members/:userId/edit", async (c) => {
      const membership = await membershipOf(c);
      const userId = c.req.param("userId");
      const page = pageNumber(c.req.query("page"));
      if (!wantsFragment(c)) return c.redirect(editHref(membership.business.id, userId, page), 303);
      const props = await loadMembersPanel(c, membership, userId);
      const member = props.members[0];
      // A refusal is said above the table (the whole panel) rather than in place of the row.
      const refuse = (status: 403 | 404, error: string) => {
        c.header("HX-Retarget", "#members-panel");
        c.header("HX-Reswap", "outerHTML");
        return panel(c, membership, { error }, status);
      };
      if (!canManage(props.me)) return refuse(403, "Only a business admin or owner may change members.");
      if (!member) return refuse(404, "That user is not a member of this business.");
      if (!canManage(props.me, member)) return refuse(403, "Only an owner may change an owner.");
      const row = memberRow(tableOf({ ...props, page, editing: userId }), member, false);
      return render(c, { title: `Members · ${membership.business.name}`, fragment: row });
    });
}

/** A unit's refusal: beside its name field when it names the field (a name taken), else above the table. */
function unitFailure(c: AppContext, membership: Membership, kind: UnitKind, unitId: string | null, value: string, failed: FormFailure) {
  if (failed.formError === null) return panel(c, membership, { unitError: { kind, unitId, value, errors: failed.errors } }, failed.status);
  return panel(c, membership, { error: failed.message }, failed.status);
}
