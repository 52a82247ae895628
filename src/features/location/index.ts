// The location feature's public face: what other features may use.
export { BLOCK_ID_PATTERN, issueBlockId, retireBlockId, recordBlockIdIssued } from "./block-id";
export { COUNTRIES, findCountry, type Country } from "../../lib/countries";
export { resolveLocation, townForPick, type PickedLocation, type ResolvedLocation } from "./resolve";
export { findPlace, unassignedTownOf, type Place } from "./places";
export { LOCATION_SOURCES, type LocationSource } from "./schema";
export { blockIdHistory, moveBlockId, type MoveInput, type MoveResult } from "./moves";
export { listCountries, listRegions, listTowns, loadPickerOptions, type PickerOptions } from "./options";
export { pickedLocationFields, pickerSelection, townMoveInput } from "./input";
export { seedReferenceData } from "./reference-data";
export { chosenTown, loadBlockIdSection, MOVE_LIMIT, townMoveLimit, townMoveLimitMessage, townMoveWait, type BlockIdEntry, type BlockIdSectionData } from "./profile-block-id";
