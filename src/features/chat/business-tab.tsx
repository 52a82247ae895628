// The chat tab of a business workspace (drawn for the workspace feature, which src/app.ts hands it to).
import { BusinessChatTab } from "../../../views/chat/ChatForms";
import type { TabRenderer } from "../workspace";
import { listUnits } from "../workspace";
import { mayCreateChannel } from "./chat-rules";
import { listConversations } from "./conversations";

export const businessChatTab: TabRenderer = async (c, { business, member }) => {
  const userId = member.userId;
  const [conversations, departments] = await Promise.all([listConversations(c.var.deps, userId, { contextType: "business", contextId: business.id }), listUnits(c.var.deps, business.id, "department")]);
  const mayCreate = mayCreateChannel({ business: member });
  return <BusinessChatTab businessId={business.id} conversations={conversations} mayCreate={mayCreate} departments={mayCreate ? departments.map((unit) => ({ id: unit.id, name: unit.name })) : []} kind={business.kind} />;
};
