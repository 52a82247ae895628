// The profile's consent section as its view takes it: each purpose with its label, and the history.
import type { Deps } from "../../deps";
import type { ConsentSectionProps } from "../../../views/privacy/ConsentSection";
import { isPurpose, PURPOSE_INFO } from "./purposes";
import { consentHistory, consentsOf } from "./service";

export async function loadConsentSection(deps: Pick<Deps, "db" | "config">, userId: string): Promise<Pick<ConsentSectionProps, "items" | "history">> {
  const [state, history] = await Promise.all([consentsOf(deps, userId), consentHistory(deps.db, userId)]);
  return {
    items: state.map((s) => ({ ...s, label: PURPOSE_INFO[s.purpose].label, description: PURPOSE_INFO[s.purpose].description })),
    history: history.map((row) => ({ id: row.id, label: isPurpose(row.purpose) ? PURPOSE_INFO[row.purpose].label : row.purpose, granted: row.granted, version: row.version, at: row.at, how: row.how })),
  };
}
