// The location feature's public face: what other features may use. Its routes are in mount.ts.
export { BLOCK_ID_PATTERN, issueBlockId, retireBlockId, recordBlockIdIssued } from "./block-id";
export { COUNTRIES, findCountry, type Country } from "../../lib/countries";
export { resolveLocation, townForPick, type PickedLocation, type ResolvedLocation } from "./resolve";
export { findPlace, unassignedTownOf, type Place } from "./places";
export { LOCATION_SOURCES, type LocationSource, type BlockIdRow, type RegionRow, type TownRow } from "./schema";
export { blockIdHistory, moveBlockId, type MoveInput, type MoveResult } from "./moves";
export { listCountries, listRegions, listTowns, loadPickerOptions, type PickerOptions } from "./options";
export { countryIdInput, pickedLocationFields, pickerSelection, placeCodeInput, placeIdInput, placeNameInput, townMoveInput } from "./input";
export { seedReferenceData } from "./reference-data";
export { chosenTown, loadBlockIdSection, MOVE_LIMIT, townMoveLimit, townMoveLimitMessage, townMoveWait, type BlockIdEntry, type BlockIdSectionData } from "./profile-block-id";
// Block ID records for the admin portal: current numbers of a page of users, one number, a user's numbers.
export { blockIdValuesOf, currentBlockIdsOf, findIssuedBlockId, type CurrentBlockId, type IssuedBlockId } from "./block-id-records";
// Places as platform admins manage them: the reads (with what may be deleted) and the six audited changes.
export {
  COUNTRIES_PER_PAGE,
  findCountryRow,
  findRegion,
  findTown,
  isUnassigned,
  listRegionsWithCounts,
  listTownsOf,
  loadCountryPlaces,
  loadRegion,
  searchCountries,
  type AdminRegion,
  type AdminTown,
  type CountryPlaces,
  type CountrySummary,
  type TownEntry,
} from "./place-directory";
export { CODE_FIXED, createRegion, createTown, deleteRegion, deleteTown, renameRegion, renameTown, type NewPlace } from "./place-changes";
