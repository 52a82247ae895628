// The presence feature's service API. Its routes, the streams' wiring and the page renderer are in mount.ts.
export { connectionClosed, connectionOpened, presenceTick, refreshConnections, startPresence, sweepPresence } from "./connections";
export { OFFLINE, STATUS_TEXT_MAX, type PresenceView } from "./rules";
export { PRESENCE_MODES, PRESENCE_STATUSES, type PresenceMode, type PresenceStatus } from "./schema";
export {
  ownStatus,
  PRESENCE_CHANGED,
  presenceOf,
  presencePayload,
  setStatus,
  touchActivity,
  visiblePresence,
  type OwnStatus,
  type PresencePayload,
  type StatusChange,
} from "./service";
