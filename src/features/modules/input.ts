// What the modules' JSON endpoints accept (the manifest itself is checked by manifest.ts, field by field).
import { z } from "zod";
import { MODULE_SCOPES } from "./manifest";
import { CATEGORIES } from "./registry";
import { MODULE_CONTEXTS } from "./schema";
import { VERSION_PATTERN } from "./versions";

const text = (max: number, what: string) => z.string().trim().min(1, `Give ${what}.`).max(max, `Keep ${what} under ${max} characters.`);

export const newModuleInput = z.strictObject({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/, "Use 3–40 lower-case letters, digits and hyphens, starting and ending with a letter or digit."),
  name: text(60, "a name"),
  description: text(500, "a description"),
  category: z.enum(CATEGORIES, { error: `Choose one of: ${CATEGORIES.join(", ")}.` }),
  contexts: z.array(z.enum(MODULE_CONTEXTS, { error: "Use personal, business or household." })).min(1, "Name at least one kind of space.").max(3),
  // An emoji or a few letters: drawn as text, so no outside image ever loads on our pages.
  icon: z.string().trim().min(1).max(8).regex(/^[^<>&"'\p{Cc}]+$/u, "Use an emoji or a few letters.").optional(),
});

export const newVersionInput = z.strictObject({
  version: z.string().trim().regex(VERSION_PATTERN, "Use MAJOR.MINOR.PATCH, e.g. 1.0.0."),
  manifest: z.unknown(),
});

export const installInput = z.strictObject({
  context: z.string().trim().min(1).max(80),
  scopes: z.array(z.enum(MODULE_SCOPES, { error: `Use scopes from: ${MODULE_SCOPES.join(", ")}.` })).max(MODULE_SCOPES.length),
});

export const contextQuery = z.object({ context: z.string().trim().min(1, "Name the space.").max(80) });

export const rejectInput = z.strictObject({ reason: text(1000, "a reason the developer can act on") });
export const suspendInput = z.strictObject({ reason: text(1000, "a reason") });

export const marketplaceQuery = z.object({
  q: z.string().trim().max(100).optional(),
  category: z.enum(CATEGORIES).optional(),
  context: z.enum(MODULE_CONTEXTS).optional(),
});
