// The chat feature's service API: the live stream's conversation channels, and its page events.
export { conversationChannels } from "./conversations";
export { chatPageEvents } from "./page-events";
export { pruneUnsentAttachments, storedBytes, UNSENT_ATTACHMENT_MS } from "./attachments";
export { postMessage, type PostInput } from "./messages";
export { spaceChannels } from "./space-channels";
