import { z } from "zod";
import { signUpConsentFields } from "../consents";
import { pickedLocationFields } from "../location";
import { isCommonPassword } from "./password-policy";

export const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .max(254, "An email address has at most 254 characters.")
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }));

export const newPassword = z
  .string({ error: "Choose a password." })
  .min(8, "Use at least 8 characters.")
  .max(128, "Use at most 128 characters.")
  .refine((value) => value.trim().length > 0, "A password cannot be only spaces.")
  .refine((value) => new Set(value).size >= 4, "Use a less repetitive password.")
  .refine((value) => !isCommonPassword(value), "This is one of the most common passwords; choose another one.");

const currentPassword = z
  .string({ error: "Enter your password." })
  .min(1, "Enter your password.")
  .max(128, "Use at most 128 characters.");

export const displayName = z
  .string({ error: "Enter your name." })
  .trim()
  .min(1, "Enter your name.")
  .max(100, "A name has at most 100 characters.");

// `acceptTerms`: the terms and privacy notice in force, accepted at sign-up (features/consents).
export const registerInput = z.object({ email, password: newPassword, name: displayName, ...pickedLocationFields, ...signUpConsentFields });
export const loginInput = z.object({ email, password: currentPassword });
export const nameInput = z.object({ name: displayName });
export const emailChangeInput = z.object({ email, currentPassword });
export const passwordChangeInput = z
  // An account made through a provider has no password yet, so the current one may be empty.
  .object({ currentPassword: z.string().max(128).default(""), newPassword, confirmPassword: z.string().optional() })
  .refine((v) => v.confirmPassword === undefined || v.confirmPassword === v.newPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords differ.",
  });

export type RegisterInput = z.infer<typeof registerInput>;
export type LoginInput = z.infer<typeof loginInput>;

export const resetRequestInput = z.object({ email });
export const resetPasswordInput = z
  .object({ newPassword, confirmPassword: z.string().max(128).optional() })
  .refine((v) => v.confirmPassword === undefined || v.confirmPassword === v.newPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords differ.",
  });
export const resetConfirmInput = z.object({ token: z.string().max(128), newPassword });
export const emailConfirmInput = z.object({ token: z.string().max(128) });

const secondFactorCode = z
  .string({ error: "Enter the code from your app, or a recovery code." })
  .trim()
  .min(1, "Enter the code from your app, or a recovery code.")
  .max(64, "That is not a code.");
const optionalPassword = z.string().max(128).optional();
export const secondStepInput = z.object({ code: secondFactorCode, next: z.string().max(2048).optional() });
export const secondStepJsonInput = z.object({ pendingToken: z.string().max(128).optional(), code: secondFactorCode });
export const identityInput = z.object({ currentPassword: optionalPassword });
export const totpConfirmInput = z.object({ code: secondFactorCode });
export const twoFactorOffInput = z.object({ currentPassword: optionalPassword, code: secondFactorCode });

/** A WebAuthn response as the browser's toJSON() gives it; @simplewebauthn checks the inside. */
const webauthnResponse = z
  .object({
    id: z.string().min(1).max(1024),
    rawId: z.string().min(1).max(1024),
    type: z.literal("public-key"),
    response: z.record(z.string(), z.unknown()),
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
    authenticatorAttachment: z.string().max(40).optional(),
  })
  .loose();
export const passkeyName = z.string().trim().min(1, "Give the passkey a name.").max(60, "A name has at most 60 characters.");
export const passkeyRegisterInput = z.object({ challengeId: z.string().max(64), response: webauthnResponse, name: passkeyName.optional() });
export const passkeySignInInput = z.object({ challengeId: z.string().max(64), response: webauthnResponse });
export const passkeyRenameInput = z.object({ name: passkeyName });
export const passkeySecondStepInput = z.object({ pendingToken: z.string().max(128).optional(), challengeId: z.string().max(64), response: webauthnResponse });
export const pendingTokenInput = z.object({ pendingToken: z.string().max(128).optional() });
