// Search across the conversations a user can read: SQLite FTS5 (libSQL ships it), ranked by bm25,
// scoped in the query to the conversations the caller may read, with highlighted snippets.
import { sql } from "drizzle-orm";
import type { Deps } from "../../deps";
import { escapeHtml } from "../../lib/html";
import { readableConversations, describeConversations } from "./conversations";

export interface SearchHit {
  messageId: string;
  conversationId: string;
  conversationTitle: string;
  seq: number;
  authorName: string | null;
  createdAt: string;
  /** Safe HTML: the matching words in <mark>, everything else escaped. */
  snippet: string;
}

// Marks FTS5 puts around matches: control characters no message holds (cleanText strips them), so
// the snippet is escaped whole and then the marks become <mark>.
const OPEN = "\u0002";
const CLOSE = "\u0003";

/**
 * The query as FTS5 reads it: each word (letters and digits) quoted, so operators, quotes and
 * column filters in the input are only text; the last word also matches as a prefix. Null when no word is left.
 */
export function ftsQuery(input: string): string | null {
  const words = input.normalize("NFKC").match(/[\p{L}\p{N}]+/gu)?.slice(0, 12) ?? [];
  if (words.length === 0) return null;
  return words.map((word, i) => `"${word}"${i === words.length - 1 ? "*" : ""}`).join(" ");
}

export function highlight(snippet: string): string {
  return escapeHtml(snippet)
    .replaceAll(OPEN, "<mark>")
    .replaceAll(CLOSE, "</mark>");
}

export async function searchMessages(deps: Pick<Deps, "db">, userId: string, input: string, limit = 20): Promise<SearchHit[]> {
  const query = ftsQuery(input);
  if (!query) return [];
  const readable = await readableConversations(deps.db, userId);
  if (readable.length === 0) return [];
  const ids = readable.map((row) => row.id);
  const rows = await deps.db.all<{ id: string; conversation_id: string; seq: number; created_at: number; author: string | null; snippet: string }>(sql`
    select m.id, m.conversation_id, m.seq, m.created_at, u.name as author,
           snippet(messages_fts, 0, ${OPEN}, ${CLOSE}, '…', 16) as snippet
    from messages_fts
    join messages m on m.rowid = messages_fts.rowid
    left join users u on u.id = m.author_id
    where messages_fts match ${query}
      and m.deleted_at is null
      and m.conversation_id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})
    order by bm25(messages_fts), m.created_at desc
    limit ${limit}`);
  const titles = new Map((await describeConversations(deps.db, userId, readable.filter((row) => rows.some((hit) => hit.conversation_id === row.id)))).map((view) => [view.id, view.title]));
  return rows.map((row) => ({
    messageId: row.id,
    conversationId: row.conversation_id,
    conversationTitle: titles.get(row.conversation_id) ?? "",
    seq: Number(row.seq),
    authorName: row.author,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    snippet: highlight(row.snippet),
  }));
}
