// Text others keep (an audit event's details, a mail or a notification sent to someone else) may name
// a person who is erased: these SQL pieces find such rows and replace the person's strings in place.
import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { ErasedPerson } from "./registry";

/** What a person's name becomes where others keep the text. */
export const DELETED_USER = "deleted user";

/** The strings that name the person, each with what replaces it (longest first; empty ones never match). */
function needles(person: ErasedPerson, userId: string, tombstone: string): Array<[string, string]> {
  const escapedName = person.name.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  const pairs: Array<[string, string]> = [
    [userId, tombstone],
    [person.email, "erased@deleted.invalid"],
    ...person.blockIds.map((value): [string, string] => [value, "erased"]),
    [person.name, DELETED_USER],
    [escapedName, DELETED_USER],
  ];
  return pairs.filter(([needle]) => needle.length > 0).sort((a, b) => b[0].length - a[0].length);
}

/** `column` with every string naming the person replaced (nested SQL replace(); case-sensitive). */
export function scrubPerson(column: SQLiteColumn | SQL, person: ErasedPerson, userId: string, tombstone: string): SQL {
  let expression: SQL = sql`${column}`;
  for (const [needle, replacement] of needles(person, userId, tombstone)) expression = sql`replace(${expression}, ${needle}, ${replacement})`;
  return expression;
}

/** Whether `column` holds any string naming the person (the rows scrubPerson would change). */
export function mentionsPerson(column: SQLiteColumn | SQL, person: ErasedPerson, userId: string): SQL {
  const parts = needles(person, userId, "").map(([needle]) => sql`instr(${column}, ${needle}) > 0`);
  return sql`(${sql.join(parts, sql` or `)})`;
}
