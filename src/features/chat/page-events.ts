// How chat's rows of the event log reach pages: empty events that make the regions listening for
// them fetch again — the conversation's message list, one message, and the lists with unread counts.
import type { PageRenderer } from "../realtime";

const conversationOf = (payload: Record<string, unknown>) => String(payload.conversationId ?? "");

export const chatPageEvents: Record<string, PageRenderer> = {
  "chat.message": (_deps, row) => [
    { event: `chat-${conversationOf(row.payload)}`, data: "" },
    { event: "chat", data: "" },
  ],
  "chat.message.updated": (_deps, row) => [{ event: `chat-message-${String(row.payload.messageId ?? "")}`, data: "" }],
  "chat.message.deleted": (_deps, row) => [
    { event: `chat-message-${String(row.payload.messageId ?? "")}`, data: "" },
    { event: "chat", data: "" },
  ],
  "chat.conversation.updated": (_deps, row) => [
    { event: `chat-conversation-${conversationOf(row.payload)}`, data: "" },
    { event: "chat", data: "" },
  ],
  "chat.read": () => [{ event: "chat", data: "" }],
  // Joining or leaving (or a new channel) changes the lists too.
  "access.changed": () => [{ event: "chat", data: "" }],
};
