import type { FieldErrors } from "../../components/Field";

/** Which form on a country's page a failure belongs to: `add-region`, or an action and the row it names. */
export type PlaceForm =
  | "add-region"
  | `rename-region:${string}`
  | `delete-region:${string}`
  | `add-town:${string}`
  | `rename-town:${string}`
  | `delete-town:${string}`;

/** What a refused form post shows: the values sent back, errors beside the fields, or a message. */
export interface PlaceFailure {
  form: PlaceForm;
  values: Record<string, string>;
  errors: FieldErrors;
  /** For a refusal no one field explains (a reserved place, a town in use). */
  message?: string | null;
}

export type Notice = { kind: "success"; text: string } | null;

export const placesBase = (countryId: string) => `/admin-portal/places/${countryId}`;
