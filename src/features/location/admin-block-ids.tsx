import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z, type ZodType } from "zod";
import { BlockIdRecordPage } from "../../../views/admin/block-ids/BlockIdRecordPage";
import { BlockIdEvents } from "../../../views/admin/block-ids/BlockIdEvents";
import { BlockIdResults } from "../../../views/admin/block-ids/BlockIdResults";
import { BLOCK_ID_SEARCH, BlockIdsPage } from "../../../views/admin/block-ids/BlockIdsPage";
import { numberPageHref, userPageHref } from "../../../views/admin/block-ids/labels";
import { UserBlockIdPanel, type UserBlockIdPanelProps } from "../../../views/admin/block-ids/UserBlockIdPanel";
import { UserBlockIdPage } from "../../../views/admin/block-ids/UserBlockIdPage";
import { SearchForm } from "../../../views/admin/fragments/SearchForm";
import { render, wantsFragment } from "../../http/render";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { fieldErrorsOf, jsonBody, parseForm, queryParams } from "../../http/validate";
import { AppError, validationError, type FieldErrors } from "../../lib/errors";
import { requirePlatformAdmin } from "../admin";
import {
  blockIdAuditEvents,
  blockIdJson,
  blockIdSearchInput,
  blockIdValueInput,
  EVENTS_PER_PAGE,
  eventJson,
  eventPageInput,
  findBlockIdRecord,
  findBlockIdUser,
  moveInput,
  moveUserByAdmin,
  searchBlockIdUsers,
  userAuditEvents,
  userIdInput,
  userJson,
  USERS_PER_PAGE,
  type BlockIdUser,
  type EventPage,
} from "./block-ids-admin";
import { blockIdHistory } from "./moves";
import { pickerSelection } from "./input";
import { loadPickerOptions } from "./options";
import type { PickedLocation } from "./resolve";

const LIST = "/admin-portal/block-ids";

function parseUserId(raw: string): string {
  const id = userIdInput.safeParse(raw);
  if (!id.success) throw validationError({ id: ["That is not a user id."] }, "That is not a user id.");
  return id.data;
}

function parseBlockIdValue(raw: string): string {
  const value = blockIdValueInput.safeParse(raw);
  if (!value.success) throw validationError({ id: [value.error.issues[0]!.message] }, "That is not a Block ID; one looks like 44-001-001-000001.");
  return value.data;
}

async function existingUser(c: AppContext, id: string): Promise<BlockIdUser> {
  const user = await findBlockIdUser(c.var.deps.db, id);
  if (!user) throw new AppError(404, "not_found", "There is no such user.");
  return user;
}

async function issuedBlockId(c: AppContext, value: string) {
  const record = await findBlockIdRecord(c.var.deps.db, value);
  if (!record) throw new AppError(404, "not_found", "No such Block ID has been issued.");
  return record;
}

/** A page's query string through zod; a damaged one (a cursor, say) is a 400 page, never a 500. */
function pageQuery<T extends ZodType>(c: AppContext, schema: T): z.infer<T> {
  const result = schema.safeParse(c.req.query());
  if (!result.success) throw validationError(fieldErrorsOf(result.error), "That page link is damaged; start from the first page.");
  return result.data;
}

function withQuery(base: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `${base}?${text}` : base;
}

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

/** JSON under /api/admin for Block IDs: search users, move one, and the audit trails. */
function blockIdApi() {
  return new Hono<AppEnv>()
    .get("/api/admin/users/block-ids", requirePlatformAdmin, queryParams(blockIdSearchInput), async (c) => {
      const found = await searchBlockIdUsers(c.var.deps.db, c.req.valid("query"));
      return c.json({ users: found.users.map(userJson), nextCursor: found.nextCursor });
    })
    .put("/api/admin/users/:id/location", requirePlatformAdmin, jsonBody(moveInput), async (c) => {
      const { user: admin } = requireUser(c);
      const user = await existingUser(c, parseUserId(c.req.param("id")));
      const moved = await moveUserByAdmin(c.var.deps, admin.id, user.id, c.req.valid("json"), requestMeta(c));
      return c.json({ user: { id: user.id, blockId: moved.current.blockId }, previous: moved.previous, current: moved.current });
    })
    .get("/api/admin/users/:id/audit-logs", requirePlatformAdmin, queryParams(eventPageInput), async (c) => {
      const user = await existingUser(c, parseUserId(c.req.param("id")));
      const page = await userAuditEvents(c.var.deps.db, user.id, c.req.valid("query"));
      return c.json({ events: page.events.map(eventJson), nextCursor: page.nextCursor });
    })
    .get("/api/admin/block-ids/:id/audit-logs", requirePlatformAdmin, queryParams(eventPageInput), async (c) => {
      const record = await issuedBlockId(c, parseBlockIdValue(c.req.param("id")));
      const page = await blockIdAuditEvents(c.var.deps.db, record, c.req.valid("query"));
      return c.json({ blockId: blockIdJson(record), events: page.events.map(eventJson), nextCursor: page.nextCursor });
    });
}

/** The admin portal's Block ID pages under /admin-portal/block-ids. */
function blockIdPages() {
  return new Hono<AppEnv>()
    .get(LIST, requirePlatformAdmin, async (c) => {
      const values = c.req.query();
      const parsed = blockIdSearchInput.safeParse(values);
      const errors = parsed.success ? undefined : fieldErrorsOf(parsed.error);
      const found = parsed.success ? await searchBlockIdUsers(c.var.deps.db, parsed.data) : { users: [], nextCursor: null };
      const q = parsed.success ? parsed.data.q : "";
      const keep = { q: q || undefined, limit: parsed.success && parsed.data.limit !== USERS_PER_PAGE ? String(parsed.data.limit) : undefined };
      const otherErrors = Object.entries(errors ?? {})
        .filter(([name]) => name !== "q")
        .flatMap(([, messages]) => messages);
      const props = {
        rows: found.users,
        q,
        nextHref: found.nextCursor ? withQuery(LIST, { ...keep, cursor: found.nextCursor }) : null,
        firstHref: parsed.success && parsed.data.cursor ? withQuery(LIST, keep) : null,
        message: otherErrors.length ? otherErrors.join(" ") : null,
      };
      const typed = values.q ?? "";
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
    .get(`${LIST}/users/:id`, requirePlatformAdmin, async (c) => {
      const user = await existingUser(c, parseUserId(c.req.param("id")));
      const audit = pageQuery(c, eventPageInput);
      return renderUserPage(c, user, { audit, notice: c.req.query("moved") === "1" || undefined });
    })
    .post(`${LIST}/users/:id/location`, requirePlatformAdmin, async (c) => {
      const { user: admin } = requireUser(c);
      const user = await existingUser(c, parseUserId(c.req.param("id")));
      const form = await parseForm(c, moveInput);
      const picked = pickerSelection.parse(form.values);
      // The no-JS "Show regions and towns" button: the page again with the next list filled in.
      if (form.values.narrow === "1") return renderUserPage(c, user, { picked });
      if (!form.ok) return renderUserPage(c, user, { status: 400, picked, errors: form.errors, message: "Choose the new location from the lists." });
      try {
        const moved = await moveUserByAdmin(c.var.deps, admin.id, user.id, form.data, requestMeta(c));
        if (!wantsFragment(c)) return c.redirect(`${userPageHref(user.id)}?moved=1`, 303);
        const updated = await existingUser(c, user.id);
        return renderUserPage(c, updated, { notice: { from: moved.previous?.blockId ?? null, to: moved.current.blockId } });
      } catch (error) {
        const fieldErrors = error instanceof AppError ? (error.details.fieldErrors as FieldErrors | undefined) : undefined;
        if (!(error instanceof AppError) || !fieldErrors) throw error;
        return renderUserPage(c, user, { status: error.status, picked, errors: fieldErrors, message: error.message });
      }
    })
    .get(`${LIST}/:value`, requirePlatformAdmin, async (c) => {
      const record = await issuedBlockId(c, parseBlockIdValue(c.req.param("value")));
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

/** Admin tools for Block IDs: the JSON API and the portal pages, for platform admins only. */
export function blockIdAdminRoutes() {
  return new Hono<AppEnv>().route("/", blockIdApi()).route("/", blockIdPages());
}
