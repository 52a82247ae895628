import type { Child } from "hono/jsx";
import type { AppContext } from "../../http/types";
import type { Membership } from "./access";

/** Renders one workspace tab's content for a member who may see it (the tab bar is drawn around it). */
export type TabRenderer = (c: AppContext, membership: Membership) => Promise<Child>;
