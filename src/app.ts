import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Deps } from "./deps";
import { adminRoutes } from "./features/admin/mount";
import { authRoutes, session } from "./features/auth/mount";
import { consentGate, consentRoutes } from "./features/consents/mount";
import { exportPageEvents } from "./features/exports";
import { exportRoutes } from "./features/exports/mount";
import { erasureRoutes } from "./features/erasure/mount";
import { healthRoutes } from "./features/health/mount";
import { householdRoutes } from "./features/households/mount";
import { invitationRoutes } from "./features/invitations/mount";
import { locationRoutes } from "./features/location/mount";
import { presenceActivity, presencePageEvents, presenceRoutes, presenceWiring } from "./features/presence/mount";
import { channel } from "./features/realtime";
import { businessCalendarTab, calendarPageEvents, calendarRoutes, isCalendarImport } from "./features/calendar/mount";
import { billingPageEvents, billingRoutes } from "./features/billing/mount";
import { marketplaceTab, MODULE_RUNTIME_PREFIX, modulePageEvents, moduleReviewRoutes, modulesRoutes } from "./features/modules/mount";
import { chatPageEvents, conversationChannels } from "./features/chat";
import { businessChatTab, chatApi, chatPages, isChatUpload } from "./features/chat/mount";
import { eventRoutes, liveCursor } from "./features/realtime/mount";
import { householdIdsOf } from "./features/households";
import { businessIdsOf } from "./features/workspace";
import { mailerRoutes } from "./features/mailer/mount";
import { notificationPageEvents } from "./features/notifications";
import { notificationRoutes } from "./features/notifications/mount";
import { businessTwoFactorGate, hasOwnBodyLimit, rememberNewHousehold, shellContexts, workspaceRoutes } from "./features/workspace/mount";
import { apiNoStore } from "./http/cache-control";
import { csrf } from "./http/csrf";
import { handleError, handleNotFound } from "./http/errors";
import { requestLog } from "./http/request-log";
import { secureHeaders } from "./http/secure-headers";
import type { AppEnv } from "./http/types";
import { AppError } from "./lib/errors";
import { homeRoutes } from "./pages/home-routes";
import { profileRoutes } from "./pages/profile-routes";
import { PERSONAL_DATA } from "./personal-data";

const MAX_BODY_BYTES = 1024 * 1024;

/** The one Hono app. Each runtime builds Deps and serves what this returns. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use(async function provideDeps(c, next) {
    c.set("deps", deps);
    await next();
  });
  app.use(requestLog());
  app.use(secureHeaders());
  app.use(apiNoStore());
  app.onError(handleError);
  app.notFound(handleNotFound);
  app.route("/", healthRoutes());
  const defaultBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError(413, "payload_too_large", "The request body is larger than 1 MB.");
    },
  });
  // 1 MB for every request except uploads, which set their own limits: the logo (2.5 MB, after its permission
  // check), chat attachments, calendar imports (10 MB).
  const ownLimit = [hasOwnBodyLimit, isChatUpload, isCalendarImport];
  app.use((c, next) => (ownLimit.some((has) => has(c.req.method, c.req.path)) ? next() : defaultBodyLimit(c, next)));
  app.use(session());
  app.use(csrf({ exemptPrefixes: [`${MODULE_RUNTIME_PREFIX}/`] }));
  app.use(consentGate());
  app.use(shellContexts());
  app.use(businessTwoFactorGate());
  app.use(liveCursor());
  app.use(presenceActivity());
  app.route(
    "/",
    eventRoutes({
      channelSources: [
        async (deps, userId) => (await businessIdsOf(deps.db, userId)).map(channel.business),
        async (deps, userId) => (await householdIdsOf(deps.db, userId)).map(channel.household),
        conversationChannels,
      ],
      pageRenderers: { ...chatPageEvents, ...notificationPageEvents, ...presencePageEvents, ...exportPageEvents, ...calendarPageEvents, ...modulePageEvents, ...billingPageEvents },
      presence: presenceWiring,
    }),
  );
  app.route("/", authRoutes());
  app.route("/", profileRoutes());
  app.route("/", consentRoutes());
  app.route("/", exportRoutes(PERSONAL_DATA));
  app.route("/", erasureRoutes());
  app.route("/", moduleReviewRoutes());
  app.route("/", billingRoutes()); // its admin-portal page before the admin portal's own routes
  app.route("/", adminRoutes());
  app.route("/", locationRoutes());
  // Before workspaceRoutes: its /api/businesses/:id/members/:userId must not catch …/members/invitations.
  app.route("/", invitationRoutes());
  app.route("/", mailerRoutes());
  app.route("/", notificationRoutes());
  app.route("/", householdRoutes({ afterCreate: rememberNewHousehold }));
  app.route("/", workspaceRoutes({ chat: businessChatTab, calendar: businessCalendarTab, marketplace: marketplaceTab }));
  app.route("/", chatApi());
  app.route("/", chatPages());
  app.route("/", presenceRoutes());
  app.route("/", calendarRoutes());
  app.route("/", modulesRoutes());
  app.route("/", homeRoutes());
  return app;
}

export type App = ReturnType<typeof createApp>;
