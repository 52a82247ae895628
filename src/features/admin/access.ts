// Every admin route, pages, form posts and /api/admin alike: platform admins only (src/http, so the
// features that serve admin pages of their own — exports, erasure — guard them the same way).
export { requirePlatformAdmin } from "../../http/require-user";
