import { Hono } from "hono";
import type { AppEnv } from "../../http/types";

// Placeholder, being written now (see the issue note); serves nothing yet.
export function locationApiRoutes() {
  return new Hono<AppEnv>();
}
