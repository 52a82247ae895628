import type { Deps } from "../../deps";
import { householdMemberCount } from "../households";
import { pendingInvitationsForUser } from "../invitations";
import { listContexts, type ContextLink } from "./contexts";
import { businessCounts } from "./service";

export interface ContextCard {
  context: ContextLink;
  summary: { label: string; value: string | number }[];
  /** Things waiting for this user in this context, each a link to where it is handled. */
  attention: { text: string; href: string }[];
}

/** One card per context for /home, with its summary; the cards grow as modules land. */
export async function homeCards(deps: Pick<Deps, "db" | "now">, userId: string): Promise<ContextCard[]> {
  const contexts = await listContexts(deps, userId);
  return Promise.all(
    contexts.map(async (context): Promise<ContextCard> => {
      const [kind, id] = context.key.split(":") as [string, string | undefined];
      if (kind === "business" && id) {
        const counts = await businessCounts(deps, id);
        const units = context.kind === "institution" ? "Classes and departments" : "Departments";
        return {
          context,
          summary: [
            { label: "Members", value: counts.members },
            { label: units, value: counts.departments },
            { label: "Positions", value: counts.positions },
          ],
          attention: [],
        };
      }
      if (kind === "household" && id) {
        return { context, summary: [{ label: "Members", value: await householdMemberCount(deps, id) }], attention: [] };
      }
      // Personal: invitations waiting for this user's address, each linking to its accept page.
      const invitations = await pendingInvitationsForUser(deps, userId);
      return { context, summary: [], attention: invitations.map(({ text, href }) => ({ text, href })) };
    }),
  );
}
