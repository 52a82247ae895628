import { Hono } from "hono";
import type { AppEnv } from "../../http/types";

// Placeholder, being written now (see the issue note); serves nothing yet.
export function placesAdminRoutes() {
  return new Hono<AppEnv>();
}
