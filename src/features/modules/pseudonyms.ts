// What a module calls a person or a space: a hash of our id with the module's own salt, so no module learns an
// internal id and two modules cannot match their users up. Stable (the salt never changes), so a module can keep
// its own data per person.
import { sha256Hex } from "../../lib/crypto";
import type { MarketplaceModuleRow } from "./schema";

const PREFIX = { user: "u", context: "c", channel: "ch" } as const;

export const pseudonym = (module: Pick<MarketplaceModuleRow, "pseudonymSalt">, kind: keyof typeof PREFIX, id: string) => `${PREFIX[kind]}_${sha256Hex(`${module.pseudonymSalt}:${kind}:${id}`).slice(0, 32)}`;
