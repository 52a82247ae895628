import type { LocationSource, Place } from "../../../src/features/location";

/** Where the location behind a Block ID came from, in words. */
export const SOURCE_LABELS: Record<LocationSource, string> = {
  picked: "Picked at sign-up",
  edge: "Edge location",
  geolocation: "IP geolocation",
  default: "Default country",
  admin: "Set by an admin",
  user: "Chosen by the user",
};

export const sourceLabel = (source: LocationSource | null) => (source ? SOURCE_LABELS[source] : "—");

/** "London, England, United Kingdom". */
export const placeText = (place: Place | null) => (place ? `${place.town.name}, ${place.region.name}, ${place.country.name}` : "Unknown place");

export const userPageHref = (userId: string) => `/admin-portal/block-ids/users/${encodeURIComponent(userId)}`;
export const numberPageHref = (value: string) => `/admin-portal/block-ids/${encodeURIComponent(value)}`;
