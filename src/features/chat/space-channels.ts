// The channels of one business or household that a person may read (for a module posting in the space's chat as
// them: the same rules as the chat's own pages — a channel's roles, departments and positions, archived ones out).
import type { Db } from "../../db/types";
import { readableConversations } from "./conversations";

export async function spaceChannels(db: Db, userId: string, contextType: "business" | "household", contextId: string): Promise<Array<{ id: string; name: string }>> {
  const rows = await readableConversations(db, userId);
  return rows.filter((row) => row.kind === "channel" && row.contextType === contextType && row.contextId === contextId && row.archivedAt === null).map((row) => ({ id: row.id, name: row.name ?? "" }));
}
