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

/** POST /contexts/switch. */
export const switchContextInput = z.object({ context: contextKey });

export type CreateBusinessInput = z.infer<typeof createBusinessInput>;

export const SEARCH_MAX_QUERY = 100;

const chars = (s: string) => Array.from(s).length;

export const userSearchInput = z.object({
  q: z
    .string({ error: "Enter at least 2 characters to search for." })
    .trim()
    .refine((q) => chars(q) >= 2, "Enter at least 2 characters to search for.")
    .refine((q) => chars(q) <= SEARCH_MAX_QUERY, `Search for at most ${SEARCH_MAX_QUERY} characters.`),
  businessId: z.string().max(64, "There is no such business.").optional(),
  limit: z.coerce
    .number({ error: "The limit is a whole number from 1 to 50." })
    .int("The limit is a whole number from 1 to 50.")
    .min(1, "The limit is a whole number from 1 to 50.")
    .max(50, "The limit is a whole number from 1 to 50.")
    .default(20),
  cursor: z.string().max(1000, "That cursor is not one this search gave.").optional(),
});

export type UserSearchInput = z.infer<typeof userSearchInput>;
