import { z } from "zod";

/** POST /api/me/deletion and the profile form: the password (absent for an account without one, which needs a recent sign-in instead). */
export const deletionRequestInput = z.object({ password: z.string().max(1024).optional() });

/** DELETE /api/me/deletion: the token of the grace-period sign-in (without a session). */
export const deletionCancelInput = z.object({ pendingToken: z.string().min(1).max(200).optional() });

/** An admin's erasure of a user. */
export const adminErasureInput = z.object({
  userId: z.string().trim().min(1, "Choose a user.").max(100),
  reason: z.string().trim().min(3, "Say why (the request, its reference).").max(500),
  immediate: z
    .union([z.literal("on"), z.literal("1"), z.literal("true"), z.boolean()])
    .optional()
    .transform((value) => value === true || value === "on" || value === "1" || value === "true"),
});
