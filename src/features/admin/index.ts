/** The platform admin portal: its routes under /admin-portal, for platform admins only. */
export { adminRoutes, requirePlatformAdmin } from "./routes";
