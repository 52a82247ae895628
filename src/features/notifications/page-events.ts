import type { PageRenderer } from "../realtime";
import { CREATED, READ } from "./service";

/** A notification made or read: the page stream sends an empty `notifications` event, and the bell (hx-trigger="sse:notifications") re-fetches its count. */
const refetch: PageRenderer = () => [{ event: "notifications", data: "" }];

/** The page stream's renderers for notification events; src/app.ts adds them to eventRoutes' pageRenderers. */
export const notificationPageEvents: Record<string, PageRenderer> = { [CREATED]: refetch, [READ]: refetch };
