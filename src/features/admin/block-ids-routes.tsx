// The admin portal's Block ID pages under /admin-portal/block-ids: users with their numbers, one
// user's numbers with the move form and audit trail, and one number's page (the portal is for
// platform admins only, see mount.ts).
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { BlockIdRecordPage } from "../../../views/admin/block-ids/BlockIdRecordPage";
import { BlockIdEvents } from "../../../views/admin/block-ids/BlockIdEvents";
import { BlockIdResults } from "../../../views/admin/block-ids/BlockIdResults";
import { BLOCK_ID_SEARCH, BlockIdsPage } from "../../../views/admin/block-ids/BlockIdsPage";
import { numberPageHref, userPageHref } from "../../../views/admin/block-ids/labels";
import { UserBlockIdPanel, type UserBlockIdPanelProps } from "../../../views/admin/block-ids/UserBlockIdPanel";
import { UserBlockIdPage } from "../../../views/admin/block-ids/UserBlockIdPage";
import { SearchForm } from "../../../views/admin/fragments/SearchForm";
import { otherErrors, tryForm } from "../../http/forms";
import { render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { parseForm, parseQuery } from "../../http/validate";
import type { FieldErrors } from "../../lib/errors";
import { blockIdHistory, loadPickerOptions, pickerSelection, type PickedLocation } from "../location";
import {
  blockIdAuditEvents,
  existingBlockIdUser,
  issuedBlockIdRecord,
  moveUserByAdmin,
  searchBlockIdUsers,
  userAuditEvents,
  type BlockIdUser,
} from "./block-ids";
import {
  BLOCK_ID_USERS_PER_PAGE,
  blockIdSearchInput,
  EVENTS_PER_PAGE,
  eventPageInput,
  moveInput,
  parseBlockIdValue,
  parseUserId,
  type EventPage,
} from "./input";
import { pageQuery, withQuery } from "./query";

/** Older and newest links for a list of audit events on the page at `base`. */
function auditLinks(base: string, page: EventPage, nextCursor: string | null) {
  const limit = page.limit === EVENTS_PER_PAGE ? undefined : String(page.limit);
  return {
    olderHref: nextCursor ? withQuery(base, { limit, cursor: nextCursor }) : null,
    newestHref: page.cursor ? withQuery(base, { limit }) : null,
  };
}

interface UserPageView {
  status?: ContentfulStatusCode;
  /** What the pickers show as chosen; empty by default, so an accidental submit moves nobody. */
  picked?: PickedLocation;
  errors?: FieldErrors;
  message?: string | null;
  /** After a move: the numbers it retired and issued; `true` reads them from the history. */
  notice?: UserBlockIdPanelProps["notice"] | true;
  audit?: EventPage;
}

async function renderUserPage(c: AppContext, user: BlockIdUser, view: UserPageView = {}) {
  const { deps } = c.var;
  // The panel replaces itself after a move; when the move failed, scroll to the form's errors.
  if (view.errors && wantsFragment(c)) c.header("HX-Reswap", "outerHTML show:#move:top");
  const auditPage = view.audit ?? { limit: EVENTS_PER_PAGE };
  const [history, options, audit] = await Promise.all([
    blockIdHistory(deps, user.id),
    loadPickerOptions(deps.db, view.picked ?? {}),
    userAuditEvents(deps.db, user.id, auditPage),
  ]);
  // After a plain form post, the page names the current number and the one just before it.
  const [current, previous] = history;
  const notice = view.notice === true ? (current?.retiredAt === null ? { from: previous?.value ?? null, to: current.value } : null) : view.notice;
  const props: UserBlockIdPanelProps = {
    user,
    history,
    move: { options, errors: view.errors, message: view.message },
    notice,
    audit: { events: audit.events, ...auditLinks(userPageHref(user.id), auditPage, audit.nextCursor) },
  };
  return render(c, {
    title: `${user.name} · Block IDs · Admin`,
    status: view.status ?? 200,
    fragment: <UserBlockIdPanel {...props} />,
    page: () => <UserBlockIdPage {...props} />,
  });
}

/** The list's own address, for its paging links. */
const LIST_HREF = "/admin-portal/block-ids";

export function blockIdsRoutes() {
  return new Hono<AppEnv>()
    .get("/admin-portal/block-ids", async (c) => {
      const query = parseQuery(c, blockIdSearchInput);
      const errors = query.ok ? undefined : query.errors;
      const found = query.ok ? await searchBlockIdUsers(c.var.deps.db, query.data) : { users: [], nextCursor: null };
      const q = query.ok ? query.data.q : "";
      const keep = { q: q || undefined, limit: query.ok && query.data.limit !== BLOCK_ID_USERS_PER_PAGE ? String(query.data.limit) : undefined };
      const props = {
        rows: found.users,
        q,
        nextHref: found.nextCursor ? withQuery(LIST_HREF, { ...keep, cursor: found.nextCursor }) : null,
        firstHref: query.ok && query.data.cursor ? withQuery(LIST_HREF, keep) : null,
        message: errors ? otherErrors(errors, ["q"]) : null,
      };
      const typed = query.values.q ?? "";
      return render(c, {
        title: "Block IDs · Admin",
        status: errors ? 400 : 200,
        fragment: (
          <>
            <SearchForm {...BLOCK_ID_SEARCH} q={typed} errors={errors} oob />
            <BlockIdResults {...props} />
          </>
        ),
        page: () => <BlockIdsPage {...props} typed={typed} errors={errors} />,
      });
    })
    .get("/admin-portal/block-ids/users/:id", async (c) => {
      const user = await existingBlockIdUser(c.var.deps.db, parseUserId(c.req.param("id")));
      const audit = pageQuery(c, eventPageInput);
      return renderUserPage(c, user, { audit, notice: c.req.query("moved") === "1" || undefined });
    })
    .post("/admin-portal/block-ids/users/:id/location", async (c) => {
      const { user: admin } = requireUser(c);
      const user = await existingBlockIdUser(c.var.deps.db, parseUserId(c.req.param("id")));
      const form = await parseForm(c, moveInput);
      const picked = pickerSelection.parse(form.values);
      // The no-JS "Show regions and towns" button: the page again with the next list filled in.
      if (form.values.narrow === "1") return renderUserPage(c, user, { picked });
      if (!form.ok) return renderUserPage(c, user, { status: 400, picked, errors: form.errors, message: "Choose the new location from the lists." });
      // A refused move (a pick that does not nest, the user's own town, a full town) names its field.
      const moved = await tryForm(c, () => moveUserByAdmin(c.var.deps, admin.id, user.id, form.data, requestMeta(c)));
      if (!moved.ok) return renderUserPage(c, user, { status: moved.status, picked, errors: moved.errors, message: moved.message });
      if (!wantsFragment(c)) return c.redirect(`${userPageHref(user.id)}?moved=1`, 303);
      const updated = await existingBlockIdUser(c.var.deps.db, user.id);
      return renderUserPage(c, updated, { notice: { from: moved.value.previous?.blockId ?? null, to: moved.value.current.blockId } });
    })
    .get("/admin-portal/block-ids/:value", async (c) => {
      const record = await issuedBlockIdRecord(c.var.deps.db, parseBlockIdValue(c.req.param("value")));
      const page = pageQuery(c, eventPageInput);
      const found = await blockIdAuditEvents(c.var.deps.db, record, page);
      const events = { events: found.events, ...auditLinks(numberPageHref(record.value), page, found.nextCursor) };
      return render(c, {
        title: `${record.value} · Block IDs · Admin`,
        fragment: <BlockIdEvents {...events} />,
        page: () => <BlockIdRecordPage record={record} events={events} />,
      });
    });
}
