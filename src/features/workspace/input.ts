import { z } from "zod";
import { BUSINESS_KINDS, BUSINESS_ROLES } from "./schema";

export const businessName = z
  .string({ error: "Enter a name." })
  .trim()
  .min(2, "A name has at least 2 characters.")
  .max(100, "A name has at most 100 characters.");

export const createBusinessInput = z.object({
  name: businessName,
  kind: z.enum(BUSINESS_KINDS, { error: "Choose company or institution." }),
  description: z.string().trim().max(2000, "A description has at most 2,000 characters.").optional().default(""),
});

export const updateBusinessInput = z.object({
  name: businessName,
  description: z.string().trim().max(2000, "A description has at most 2,000 characters.").default(""),
});

export const unitName = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(80, "A name has at most 80 characters.");

export const unitInput = z.object({ name: unitName });

export const businessRole = z.enum(BUSINESS_ROLES, { error: "Choose owner, admin, manager or member." });

export const contextKey = z
  .string()
  .regex(/^(personal|business:[a-z0-9]{10,40}|household:[a-z0-9]{10,40})$/, "Unknown context.");

export type CreateBusinessInput = z.infer<typeof createBusinessInput>;

export const householdInput = z.object({
  name: z.string({ error: "Enter a name." }).trim().min(2, "A name has at least 2 characters.").max(100, "A name has at most 100 characters."),
});
