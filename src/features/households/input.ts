import { z } from "zod";
import { HOUSEHOLD_ROLES } from "./schema";

/** POST /households/new. */
export const householdInput = z.object({
  name: z.string({ error: "Enter a name." }).trim().min(2, "A name has at least 2 characters.").max(100, "A name has at most 100 characters."),
});

/** POST /household/:id/members/:userId/role. */
export const roleInput = z.object({ role: z.enum(HOUSEHOLD_ROLES, { error: "Choose owner, adult, teen or child." }) });
