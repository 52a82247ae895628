// The export feature's service API: the scheduled job's tasks, and what the profile shows. Its routes are in mount.ts.
export { runExports, pruneExports } from "./job";
export { exportSection, type AdminExportItem } from "./admin";
export { EXPORT_CHANGED, type ExportView } from "./exports";
export { exportPageEvents } from "./page-events";
