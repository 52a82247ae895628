import { Hono } from "hono";
import { SearchForm } from "../../../views/admin/fragments/SearchForm";
import { UserResults } from "../../../views/admin/fragments/UserResults";
import { UserRow } from "../../../views/admin/fragments/UserRow";
import { UsersPage, USER_SEARCH } from "../../../views/admin/UsersPage";
import { otherErrors, tryForm, type FormStatus } from "../../http/forms";
import { render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm, parseQuery } from "../../http/validate";
import { AppError, type FieldErrors } from "../../lib/errors";
import { doneNotice, listQuery, returnTo, rowId, userChange, type ListQuery, type UserChange } from "./input";
import { changeUser, findAdminUser, searchUsers } from "./service";

const DONE: Record<UserChange, string> = {
  disable: "The account is disabled and every session it had has ended.",
  enable: "The account is enabled; its owner can sign in again.",
  "grant-admin": "Platform admin granted.",
  "revoke-admin": "Platform admin revoked.",
  "sign-out": "Every session of the account has ended; its owner must sign in again.",
};

type Message = { kind: "error" | "success"; text: string } | null;

interface UsersView {
  status?: 200 | FormStatus;
  errors?: FieldErrors;
  message?: Message;
  /** What was typed in the search box, when it was not valid. */
  typed?: string;
}

async function renderUsers(c: AppContext, query: ListQuery, view: UsersView = {}) {
  const found = view.errors ? { rows: [], hasMore: false } : await searchUsers(c.var.deps.db, query);
  const props = { ...found, q: query.q, page: query.page, viewerId: c.var.user!.id, message: view.message };
  const typed = view.typed ?? query.q;
  return render(c, {
    title: "Users · Admin",
    status: view.status ?? 200,
    fragment: (
      <>
        <SearchForm {...USER_SEARCH} q={typed} errors={view.errors} oob />
        <UserResults {...props} />
      </>
    ),
    page: () => <UsersPage {...props} q={typed} errors={view.errors} />,
  });
}

function backTo(back: ListQuery, done: UserChange, userId: string): string {
  const params = new URLSearchParams();
  if (back.q) params.set("q", back.q);
  if (back.page > 1) params.set("page", String(back.page));
  params.set("done", done);
  return `/admin-portal/users?${params}#user-${userId}`;
}

/** /admin-portal/users: the searchable list, and the row actions (plain form posts, row swaps with htmx). */
export function usersRoutes() {
  return new Hono<AppEnv>()
    .get("/admin-portal/users", async (c) => {
      const query = parseQuery(c, listQuery);
      if (!query.ok) {
        const text = otherErrors(query.errors, ["q"]);
        return renderUsers(c, { q: "", page: 1 }, { status: 400, errors: query.errors, typed: query.values.q, message: text ? { kind: "error", text } : null });
      }
      const done = doneNotice.parse(query.values.done);
      return renderUsers(c, query.data, { message: done ? { kind: "success", text: DONE[done] } : null });
    })
    .post("/admin-portal/users/:id/:change", async (c) => {
      const { user } = requireUser(c);
      const id = rowId.safeParse(c.req.param("id"));
      const change = userChange.safeParse(c.req.param("change"));
      if (!id.success || !change.success) throw new AppError(404, "not_found", "There is no such user or action.");
      const form = await parseForm(c, returnTo);
      const back = form.ok ? form.data : { q: "", page: 1 };
      // changeUser refuses with 409 (the last admin, your own account); 403 and 404 go to the error page.
      const changed = await tryForm(c, () => changeUser(c.var.deps, user.id, id.data, change.data, requestMeta(c)));
      if (changed.ok) {
        if (!wantsFragment(c)) return c.redirect(backTo(back, change.data, changed.value.id), 303);
        const message = { kind: "success" as const, text: DONE[change.data] };
        return render(c, { title: "Users · Admin", fragment: <UserRow user={changed.value} viewerId={user.id} back={back} message={message} /> });
      }
      const message = { kind: "error" as const, text: changed.message };
      if (!wantsFragment(c)) return renderUsers(c, back, { status: changed.status, message });
      const current = await findAdminUser(c.var.deps.db, id.data);
      if (!current) throw new AppError(404, "not_found", "There is no such user.");
      return render(c, { title: "Users · Admin", status: changed.status, fragment: <UserRow user={current} viewerId={user.id} back={back} message={message} /> });
    });
}
