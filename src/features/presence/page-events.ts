// How presence.changed looks on the page stream: an event named presence-<userId> whose data is the
// re-rendered dot, which every dot of that user on the page swaps in (sse-swap). The payload holds
// the status and text, so no viewer's page costs a query.
import { presenceDotHtml, presenceEvent } from "../../../views/presence/PresenceDot";
import type { PageRenderer } from "../realtime";
import { PRESENCE_CHANGED, presencePayload } from "./service";

export const presencePageEvents: Record<string, PageRenderer> = {
  [PRESENCE_CHANGED]: async (_deps, row) => {
    const payload = presencePayload(row.payload);
    if (!payload) return [];
    const dot = await presenceDotHtml(payload.userId, payload);
    return [{ event: presenceEvent(payload.userId), data: dot.toString() }];
  },
};
