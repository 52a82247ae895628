// The modules feature's service API: the scheduled sending of webhooks. Its routes are in mount.ts.
export { sendDueWebhooks } from "./webhooks";
export { installedModuleLinks, installedPaidModules, moduleDevelopersOf, type InstalledPaidModule } from "./links";
export { listedModule } from "./installs";
export { isDeveloper } from "./registry";
export { hostPath } from "./host-paths";
