export { countHouseholds, createHousehold, householdCoMembers, householdIdsOf, householdPlacesOf, type HouseholdPlace, householdMemberCount, householdNames, listHouseholdsOf, requireHouseholdMembership, type HouseholdMembership, type HouseholdSummary } from "./service";
export { mayManageMembers, mayWriteShared } from "./policy";
export { HOUSEHOLD_ROLES, type HouseholdRole } from "./schema";
export { addHouseholdMember, changeHouseholdRole, householdMemberEmails, listHouseholdMembers, removeHouseholdMember } from "./roster";
export { householdsSolelyOwnedBy } from "./sole-owner";
