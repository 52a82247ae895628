import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { invitationApis } from "./api";
import { invitationPages } from "./routes";
import { respondPages } from "./respond-routes";

/** Invitations: JSON, the invite pages, and the invitee's accept and decline pages. */
export function invitationRoutes() {
  return new Hono<AppEnv>().route("/", invitationApis()).route("/", invitationPages()).route("/", respondPages());
}
