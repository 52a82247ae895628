// The pages: /notifications (paged list, mark read), the header's bell and dropdown fragments, and
// /notifications/settings. Every action is a plain form; htmx swaps the region it belongs to.
import { Hono } from "hono";
import { BellLink } from "../../../views/notifications/Bell";
import { NotificationList, type NotificationListProps } from "../../../views/notifications/fragments/NotificationList";
import { NotificationMenu } from "../../../views/notifications/fragments/NotificationMenu";
import { PreferencesForm, type PreferencesFormProps } from "../../../views/notifications/fragments/PreferencesForm";
import { NotificationsPage } from "../../../views/notifications/NotificationsPage";
import { SettingsPage } from "../../../views/notifications/SettingsPage";
import { answerForm, tryForm } from "../../http/forms";
import { render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import type { AppContext, AppEnv } from "../../http/types";
import { parseForm, parseQuery, readForm } from "../../http/validate";
import { AppError, validationError } from "../../lib/errors";
import { idParam, listQuery, markForm, MENU_SIZE, PAGE_SIZE, type ListQuery } from "./input";
import { DELIVERIES, DELIVERY_LABELS, NOTIFICATION_KINDS } from "./kinds";
import { getPreferences, listNotifications, markAllRead, markRead, setPreferences, unreadCount } from "./service";

const kindLabels = Object.fromEntries(NOTIFICATION_KINDS.map((info) => [info.kind, info.label]));
const settingsKinds = NOTIFICATION_KINDS.map(({ kind, label }) => ({ kind, label }));
const deliveries = DELIVERIES.map((value) => ({ value, label: DELIVERY_LABELS[value] }));

const pageHref = (cursor: string | null) => (cursor ? `/notifications?cursor=${encodeURIComponent(cursor)}` : "/notifications");

/** A malformed id names nothing: 404, like someone else's or a missing one. */
function notificationId(c: AppContext): string {
  const parsed = idParam.safeParse({ id: c.req.param("id") });
  if (!parsed.success) throw new AppError(404, "not_found", "There is no such notification.");
  return parsed.data.id;
}

async function listProps(c: AppContext, userId: string, query: ListQuery, cursor: string | null): Promise<NotificationListProps> {
  const db = c.var.deps.db;
  const [page, unread] = await Promise.all([listNotifications(db, userId, query), unreadCount(db, userId)]);
  return { ...page, unread, cursor, kindLabels };
}

async function menuFragment(c: AppContext, userId: string) {
  const db = c.var.deps.db;
  const [page, unread] = await Promise.all([listNotifications(db, userId, { limit: MENU_SIZE }), unreadCount(db, userId)]);
  return <NotificationMenu notifications={page.notifications} unread={unread} kindLabels={kindLabels} />;
}

/** After "Mark read" or "Mark all read": htmx gets the region the form sat in again; a plain post goes back to the page it was on. */
async function afterMarking(c: AppContext, userId: string, form: { cursor?: ListQuery["cursor"]; view: "menu" | "page" }, rawCursor: string | null) {
  const cursor = form.cursor ? rawCursor : null;
  return answerForm(c, {
    ok: true,
    redirect: pageHref(cursor),
    title: "Notifications",
    fragment: async () =>
      form.view === "menu" ? menuFragment(c, userId) : <NotificationList {...await listProps(c, userId, { cursor: form.cursor, limit: PAGE_SIZE }, cursor)} />,
  });
}

async function readMarkForm(c: AppContext) {
  const form = await parseForm(c, markForm);
  if (!form.ok) throw validationError(form.errors, "That page link is damaged; start from the first page.");
  return { data: form.data, rawCursor: form.values.cursor || null };
}

function settingsForm(props: Omit<PreferencesFormProps, "kinds" | "deliveries">) {
  return <PreferencesForm kinds={settingsKinds} deliveries={deliveries} {...props} />;
}

export function notificationPages() {
  return new Hono<AppEnv>()
    .get("/notifications", async (c) => {
      const { user } = requireUser(c);
      const query = parseQuery(c, listQuery);
      if (!query.ok) throw validationError(query.errors, "That page link is damaged; start from the first page.");
      const props = await listProps(c, user.id, query.data, query.values.cursor || null);
      return render(c, { title: "Notifications", fragment: <NotificationList {...props} />, page: () => <NotificationsPage {...props} /> });
    })
    .get("/notifications/bell", async (c) => {
      const { user } = requireUser(c);
      return render(c, { title: "Notifications", fragment: <BellLink unread={await unreadCount(c.var.deps.db, user.id)} /> });
    })
    .get("/notifications/menu", async (c) => {
      const { user } = requireUser(c);
      const fragment = await menuFragment(c, user.id);
      return render(c, {
        title: "Latest notifications",
        fragment,
        page: () => (
          <section class="narrow-page">
            <h1>Latest notifications</h1>
            {fragment}
          </section>
        ),
      });
    })
    .post("/notifications/read-all", async (c) => {
      const { user } = requireUser(c);
      const { data, rawCursor } = await readMarkForm(c);
      await markAllRead(c.var.deps, user.id);
      return afterMarking(c, user.id, data, rawCursor);
    })
    .post("/notifications/:id/read", async (c) => {
      const { user } = requireUser(c);
      const id = notificationId(c);
      const { data, rawCursor } = await readMarkForm(c);
      await markRead(c.var.deps, user.id, id);
      return afterMarking(c, user.id, data, rawCursor);
    })
    .get("/notifications/settings", async (c) => {
      const { user } = requireUser(c);
      const values = await getPreferences(c.var.deps.db, user.id);
      const message = c.req.query("saved") ? { kind: "success" as const, text: "Your notification settings are saved." } : null;
      const props = { kinds: settingsKinds, deliveries, values, message };
      return render(c, { title: "Notification settings", fragment: <PreferencesForm {...props} />, page: () => <SettingsPage {...props} /> });
    })
    .post("/notifications/settings", async (c) => {
      const { user } = requireUser(c);
      const { values } = await readForm(c);
      // The form names each kind; anything else it might carry is not a setting.
      const sent = Object.fromEntries(settingsKinds.filter(({ kind }) => kind in values).map(({ kind }) => [kind, values[kind]]));
      const saved = await tryForm(c, () => setPreferences(c.var.deps, user.id, sent), { invalidStatus: 422 });
      if (!saved.ok) {
        const shown = { ...(await getPreferences(c.var.deps.db, user.id)), ...sent } as Record<string, string>;
        const fragment = settingsForm({ values: shown, errors: saved.errors });
        return answerForm(c, { ...saved, title: "Notification settings", fragment, page: () => <SettingsPage kinds={settingsKinds} deliveries={deliveries} values={shown} errors={saved.errors} /> });
      }
      return answerForm(c, {
        ok: true,
        redirect: "/notifications/settings?saved=1",
        title: "Notification settings",
        fragment: settingsForm({ values: saved.value, message: { kind: "success", text: "Your notification settings are saved." } }),
      });
    });
}
