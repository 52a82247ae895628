// The privacy feature's service API: the registry every feature with personal data fills in.
export type { ErasureRule, ErasureRun, PersonalDataSource, PersonalFile, PersonalTable } from "./registry";
