import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { outboxPages } from "../mailer";
import { invitationApis } from "./api";
import { invitationPages } from "./pages";
import { respondPages } from "./respond-pages";

/** Invitations (and the outbox pages they lead to): JSON, the invite pages, and the invitee's accept and decline pages. */
export function invitationRoutes() {
  return new Hono<AppEnv>().route("/", invitationApis()).route("/", invitationPages()).route("/", outboxPages()).route("/", respondPages());
}

export { pendingInvitationsFor, pendingInvitationsForUser, type PendingForUser } from "./respond";
export { INVITATION_STATUSES, type InvitationStatus } from "./schema";
