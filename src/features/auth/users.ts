import type { UserRow } from "./schema";

/** What the API and the pages may show of a user: never the password hash. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  isPlatformAdmin: boolean;
  createdAt: string;
}

export function toPublicUser(row: Pick<UserRow, "id" | "email" | "name" | "emailVerified" | "isPlatformAdmin" | "createdAt">): PublicUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    emailVerified: row.emailVerified,
    isPlatformAdmin: row.isPlatformAdmin,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
