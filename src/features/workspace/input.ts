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

/** At most this many rows in one bulk request. */
export const MAX_BULK_ROWS = 500;

const memberId = z.string({ error: "Give the member's user id." }).min(1, "Give the member's user id.").max(64, "That is not a user id.");
/** A department or position id; "" or null clears it. */
const unitRef = z
  .union([z.string().trim().max(64, "That is not a valid id."), z.null()], { error: "Give an id, or null to clear it." })
  .transform((v) => (v === "" ? null : v))
  .optional();

const patchShape = {
  role: z.enum(BUSINESS_ROLES, { error: "Choose owner, admin, manager or member." }).optional(),
  departmentId: unitRef,
  positionId: unitRef,
};
const somethingToChange = {
  check: (row: { role?: unknown; departmentId?: unknown; positionId?: unknown }) =>
    row.role !== undefined || row.departmentId !== undefined || row.positionId !== undefined,
  error: "Give a role, a department or a position to change.",
};

/** What may change about one member (JSON PATCH body). */
export const memberPatchInput = z.object(patchShape).strict().refine(somethingToChange.check, { error: somethingToChange.error });
export const bulkUpdateRowInput = z
  .object({ userId: memberId, ...patchShape })
  .strict()
  .refine(somethingToChange.check, { error: somethingToChange.error });
export const bulkRemoveRowInput = z.object({ userId: memberId }).strict();

export type MemberPatch = z.infer<typeof memberPatchInput>;
export type BulkUpdateRow = z.infer<typeof bulkUpdateRowInput>;

/** POST /api/businesses/:id/members/bulk: the rows are checked one by one (member-rules.ts). */
export const bulkMembersInput = z
  .object({
    action: z.enum(["update", "remove"], { error: 'The action is "update" or "remove".' }),
    rows: z
      .array(z.unknown(), { error: "Give the rows as a list." })
      .min(1, "Give at least one row.")
      .max(MAX_BULK_ROWS, `At most ${MAX_BULK_ROWS} rows at once.`),
  })
  .strict();

/** PUT /api/businesses/:id/modules/:moduleId: an omitted field keeps its value. */
export const moduleUpdateInput = z.strictObject({
  enabled: z.boolean({ error: "Give true or false." }).optional(),
  allowedRoles: z.array(z.string().max(40), { error: "Give a list of roles." }).max(BUSINESS_ROLES.length * 2).optional(),
  allowedDepartments: z.array(z.string().max(64), { error: "Give a list of department ids." }).max(1000).optional(),
  allowedPositions: z.array(z.string().max(64), { error: "Give a list of position ids." }).max(1000).optional(),
});
export type ModuleUpdateInput = z.infer<typeof moduleUpdateInput>;

export const twoFactorPolicyInput = z.object({ requireTwoFactor: z.enum(["on", "off"]).optional() });
