import type { PageRenderer } from "../realtime";
import { EXPORT_CHANGED } from "./exports";

/** An export queued, progressing, ready or expired: the page stream sends an empty `exports` event and the profile's section (hx-trigger="sse:exports") re-fetches itself. */
export const exportPageEvents: Record<string, PageRenderer> = { [EXPORT_CHANGED]: () => [{ event: "exports", data: "" }] };
