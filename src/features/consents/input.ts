import { z } from "zod";
import { OPTIONAL_PURPOSES, PURPOSES, type Purpose } from "./purposes";

export const ACCEPT_TERMS_MESSAGE = "Accept the terms of service and the privacy notice to create an account.";

/**
 * Sign-up's required acceptance, spread into the register input (page and JSON): `acceptTerms`
 * must be true (JSON) or a ticked checkbox ("on"); missing or anything else is a field error.
 */
export const signUpConsentFields = {
  acceptTerms: z.union([z.literal(true), z.literal("on"), z.literal("true")], { error: ACCEPT_TERMS_MESSAGE }).transform((): true => true),
};

const purposeAnswers = z.strictObject(
  Object.fromEntries(PURPOSES.map((p) => [p, z.boolean({ error: "Use true (grant) or false (withdraw)." }).optional()])) as Record<Purpose, z.ZodOptional<z.ZodBoolean>>,
);

/** PUT /api/me/consents: `{ purposes: { product_emails: true, analytics: false } }` — the purposes named change, the others stay. */
export const consentsPutInput = z.object({
  purposes: purposeAnswers.refine((answers) => Object.values(answers).some((v) => v !== undefined), "Name at least one purpose: terms, privacy, product_emails, assistant or analytics."),
});

const checkbox = z.literal("on").optional().transform((value) => value === "on");

/** The profile's form: one checkbox per optional purpose, every one sent (an unticked box is a withdrawal). */
export const profileConsentsInput = z.object(Object.fromEntries(OPTIONAL_PURPOSES.map((p) => [p, checkbox])) as Record<(typeof OPTIONAL_PURPOSES)[number], typeof checkbox>);

/** The accept page: the box ticked, and where to go after. */
export const acceptInput = z.object({ acceptTerms: signUpConsentFields.acceptTerms, next: z.string().max(2048).optional() });
