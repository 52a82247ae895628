import { Hono } from "hono";
import type { AppEnv } from "../../http/types";
import { modulesApi } from "./api";

/** The modules' routes: the developer portal's, the review's and the marketplace's JSON. */
export function modulesRoutes() {
  return new Hono<AppEnv>().route("/", modulesApi());
}
