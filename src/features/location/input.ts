import { z } from "zod";

/** ISO 3166-1 alpha-2, either case. */
export const countryIdInput = z
  .string({ error: "Choose a country." })
  .trim()
  .regex(/^[A-Za-z]{2}$/, "A country is its two-letter ISO code, like GB.")
  .transform((code) => code.toUpperCase());

/** Region and town ids: what this app generates (base32 or hex), nothing else. */
export const placeIdInput = (what: "region" | "town") =>
  z
    .string({ error: `Choose a ${what}.` })
    .trim()
    .regex(/^[a-z0-9]{16,40}$/, `That is not a ${what} id.`);

/** GET /api/location/regions/:countryId and /towns/:regionId. */
export const countryParam = z.object({ countryId: countryIdInput });
export const regionParam = z.object({ regionId: placeIdInput("region") });

/** An empty form field (a select left at "choose…") means "not picked". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

/** The optional country / region / town fields of a registration or a move. */
export const pickedLocationFields = {
  countryId: optional(countryIdInput),
  regionId: optional(placeIdInput("region")),
  townId: optional(placeIdInput("town")),
};

/** POST /profile/location: the town the user moves to. */
export const townMoveInput = z.object(pickedLocationFields);

/**
 * What the pickers show as chosen when a form is redisplayed to narrow them (not submitted): a value
 * that is not an id is simply no selection, never an error.
 */
export const pickerSelection = z.object({
  countryId: countryIdInput.optional().catch(undefined),
  regionId: placeIdInput("region").optional().catch(undefined),
  townId: placeIdInput("town").optional().catch(undefined),
});

/** Three digits; 000 is kept for the unassigned region and town. */
export const placeCodeInput = z
  .string({ error: "Enter a three-digit code." })
  .trim()
  .regex(/^\d{3}$/, "A code is three digits, like 012.")
  .refine((code) => code !== "000", "000 is kept for “Unassigned”.");

export const placeNameInput = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(100, "A name has at most 100 characters.");
