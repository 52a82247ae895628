// The privacy feature's service API: the registry every feature with personal data fills in.
export type { ErasedPerson, ErasureRule, ErasureRun, PersonalDataSource, PersonalFile, PersonalTable } from "./registry";
export { mentionsPerson, scrubPerson, DELETED_USER } from "./scrub";
