import type { UserRow } from "./schema";

/** What the API and the pages may show of a user: never the password hash. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  isPlatformAdmin: boolean;
  /** `<calling code>-<region>-<town>-<serial>`; null only in the moment before one is issued. */
  blockId: string | null;
  createdAt: string;
}

export function toPublicUser(row: Pick<UserRow, "id" | "email" | "name" | "emailVerified" | "isPlatformAdmin" | "blockId" | "createdAt">): PublicUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    emailVerified: row.emailVerified,
    isPlatformAdmin: row.isPlatformAdmin,
    blockId: row.blockId,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
