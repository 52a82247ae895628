import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import type { AppEnv } from "../../http/types";
import { queryParams } from "../../http/validate";
import { userSearchInput } from "./input";
import { searchUsers } from "./member-search";

/** `GET /api/member/users/search?q=&businessId=&limit=&cursor=`. */
export function memberApi() {
  return new Hono<AppEnv>().get(
    "/api/member/users/search",
    async (c, next) => {
      requireUser(c); // a 401 before any word about the query
      await next();
    },
    queryParams(userSearchInput),
    async (c) => {
      const { user } = requireUser(c);
      return c.json(await searchUsers(c.var.deps, user.id, c.req.valid("query")));
    },
  );
}
