import type { RequestUser } from "../../http/types";
import type { UserRow } from "./schema";

/** What the API and the pages may show of a user (the shape every request carries): never the password hash. */
export type PublicUser = RequestUser;

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
