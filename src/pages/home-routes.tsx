// /home: one card per context the user lives in. A page over several features: each card's parts
// come from the feature that owns them (workspace, households, invitations, calendar).
import { Hono } from "hono";
import { HomePage, type ContextCard } from "../../views/workspace/HomePage";
import type { Deps } from "../deps";
import { homeAgenda } from "../features/calendar";
import { householdMemberCount } from "../features/households";
import { installedModuleLinks } from "../features/modules";
import { pendingInvitationsForUser } from "../features/invitations";
import { businessCounts, listContexts, type ContextLink } from "../features/workspace";
import { render } from "../http/render";
import { requireUser } from "../http/require-user";
import type { AppEnv } from "../http/types";

export function homeRoutes() {
  return new Hono<AppEnv>().get("/home", async (c) => {
    const { user } = requireUser(c);
    const cards = await homeCards(c.var.deps, user.id);
    return render(c, { title: "Home", fragment: <HomePage name={user.name} cards={cards} /> });
  });
}

/** One card per context, with its summary; the cards grow as modules land. */
async function homeCards(deps: Pick<Deps, "db" | "now" | "log">, userId: string): Promise<ContextCard[]> {
  const [contexts, agenda] = await Promise.all([listContexts(deps, userId), homeAgenda(deps, userId)]);
  // Modules in one's own space and households live here (a business's are tabs of its workspace, too).
  const modules = await installedModuleLinks(deps.db, contexts.map((c) => (c.key === "personal" ? `personal:${userId}` : c.key)));
  return Promise.all(
    contexts.map(async (context) => ({
      ...(await contextCard(deps, userId, context)),
      agenda: agenda.get(context.key) ?? { today: [], tomorrow: [] },
      modules: modules.get(context.key === "personal" ? `personal:${userId}` : context.key) ?? [],
      billingHref: context.key === "personal" ? `/billing/personal/${userId}` : undefined,
    })),
  );
}

async function contextCard(deps: Pick<Deps, "db" | "now">, userId: string, context: ContextLink): Promise<ContextCard> {
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
}
