import { z } from "zod";

export const exportIdParam = z.object({ id: z.string().trim().min(1).max(64) });

/** A platform admin's request on a person's behalf: whose data, and why (kept in the audit trail). */
export const adminExportInput = z.object({
  user: z.string().trim().min(1, "Name the account: its id or email address.").max(320),
  reason: z.string().trim().min(5, "Say why, in a few words (the request, its reference).").max(500),
});
