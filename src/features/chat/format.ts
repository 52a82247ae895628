// Chat messages as safe HTML and as plain text: a small, predictable Markdown subset, like Slack or
// Mattermost. message-syntax.ts parses; only the renderers here write HTML, and they escape
// everything the user typed.
import { escapeHtml } from "../../lib/html";
import { handleOf, inlinePieces, parseBlocks, type Block, type Inline } from "./message-syntax";

/** A member who may be mentioned: `handle` is what follows the @ (see mentionHandle). */
export interface Mentionable {
  id: string;
  name: string;
  handle: string;
}

/** The handle of a person for @mentions: their name lowercased, letters and digits only (Unicode letters kept, e.g. "Zoë O'Brien" -> "zoëobrien"); when that is empty, "user". */
export function mentionHandle(name: string): string {
  return handleOf(name) || "user";
}

/** The handles mentioned in the text (lowercased, unique, in order of first appearance), e.g. "hi @Ada and @bob." -> ["ada", "bob"]. Mentions inside `code` or code blocks do not count. An @ preceded by a letter/digit (an email address like a@b.com) is not a mention. */
export function mentionedHandles(text: string): string[] {
  const handles = new Set<string>();
  for (const piece of inlinePieces(parseBlocks(text))) {
    if (piece.kind === "mention") handles.add(piece.handle);
  }
  return [...handles];
}

/** The message as safe HTML (a string) for a `<div class="message-text">`. */
export function formatMessage(text: string, members: readonly Mentionable[]): string {
  const membersByHandle = new Map<string, Mentionable>();
  for (const member of members) {
    const handle = handleOf(member.handle);
    if (handle && !membersByHandle.has(handle)) membersByHandle.set(handle, member);
  }
  return parseBlocks(text)
    .map((block) => blockHtml(block, membersByHandle))
    .join("");
}

/** Plain text excerpt for notifications and previews: formatting marks removed, whitespace collapsed, cut at `max` characters with an ellipsis. Not HTML: escape it where it is shown. */
export function plainExcerpt(text: string, max = 140): string {
  const plain = parseBlocks(text).map(blockPlain).join(" ").replace(/\s+/g, " ").trim();
  const chars = Array.from(plain); // code points, so a cut never splits an emoji
  if (chars.length <= max) return plain;
  if (max < 1) return "";
  return `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}

// ---- Rendering ----

function blockHtml(block: Block, membersByHandle: Map<string, Mentionable>): string {
  if (block.kind === "pre") return `<pre><code>${escapeHtml(block.text)}</code></pre>`;
  const html = block.lines.map((line) => line.map((piece) => inlineHtml(piece, membersByHandle)).join("")).join("<br>");
  return block.kind === "quote" ? `<blockquote>${html}</blockquote>` : html;
}

function inlineHtml(piece: Inline, membersByHandle: Map<string, Mentionable>): string {
  switch (piece.kind) {
    case "text":
      return escapeHtml(piece.text);
    case "code":
      return `<code>${escapeHtml(piece.text)}</code>`;
    case "link":
      return `<a href="${escapeHtml(piece.href)}" rel="noopener noreferrer nofollow" target="_blank">${escapeHtml(piece.text)}</a>`;
    case "mention": {
      const member = membersByHandle.get(piece.handle);
      if (member === undefined) return escapeHtml(piece.text);
      return `<span class="mention" data-user-id="${escapeHtml(member.id)}">@${escapeHtml(member.name)}</span>`;
    }
    case "open":
      return `<${piece.tag}>`;
    case "close":
      return `</${piece.tag}>`;
  }
}

function blockPlain(block: Block): string {
  if (block.kind === "pre") return block.text;
  return block.lines.map((line) => line.map(inlinePlain).join("")).join("\n");
}

function inlinePlain(piece: Inline): string {
  return "text" in piece ? piece.text : "";
}
