// The syntax of chat messages: the text split into blocks (fenced code, quotes, other lines) and
// every line scanned into inline pieces (text, code, links, mentions, emphasis). No HTML here: the
// renderers in format.ts write it. Scanning is linear: whatever a scan would search for again and
// again (the closing backtick run, bracket, parenthesis or fence) is found once per line up front.

export type Tag = "em" | "strong";
export type Inline =
  | { kind: "text"; text: string }
  | { kind: "code"; text: string }
  | { kind: "link"; href: string; text: string }
  | { kind: "mention"; handle: string; text: string }
  | { kind: "open" | "close"; tag: Tag };
export type Block = { kind: "pre"; text: string } | { kind: "lines" | "quote"; lines: Inline[][] };

/** A run of `*` or `_` while emphasis is resolved: `count` marks are left as literal text, the rest became tags. */
interface Delimiter {
  kind: "delimiter";
  char: "*" | "_";
  count: number;
  canOpen: boolean;
  canClose: boolean;
  opens: Tag[];
  closes: Tag[];
}
type Piece = Inline | Delimiter;


/** The handle part of a name or an @mention: lowercased, letters and digits only. */
export function handleOf(raw: string): string {
  return raw.normalize("NFC").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

// ---- Blocks ----

// An opening fence may name a language (```ts); it is not shown.
const FENCE_OPEN = /^\s*```[\w+#.-]*\s*$/;
const FENCE_CLOSE = /^\s*```\s*$/;

export function parseBlocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const closingFence = nextMatchingLine(lines, FENCE_CLOSE);
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceEnd = FENCE_OPEN.test(line) ? closingFence[i + 1]! : -1;
    if (fenceEnd >= 0) {
      blocks.push({ kind: "pre", text: lines.slice(i + 1, fenceEnd).join("\n") });
      i = fenceEnd;
      continue;
    }
    const quoted = line === ">" || line.startsWith("> ");
    const kind = quoted ? "quote" : "lines";
    const inlines = scanLine(quoted ? line.slice(2) : line);
    const last = blocks.at(-1);
    if (last !== undefined && last.kind !== "pre" && last.kind === kind) last.lines.push(inlines);
    else blocks.push({ kind, lines: [inlines] });
  }
  return withoutBlankEdges(blocks);
}

/** Blank lines at the start or end of a run of lines are dropped: quotes and code blocks stand apart already. */
function withoutBlankEdges(blocks: Block[]): Block[] {
  const isBlank = (line: Inline[]) => line.every((piece) => piece.kind === "text" && piece.text.trim() === "");
  return blocks.filter((block) => {
    if (block.kind === "pre") return true;
    while (block.lines.length > 0 && isBlank(block.lines[0]!)) block.lines.shift();
    while (block.lines.length > 0 && isBlank(block.lines.at(-1)!)) block.lines.pop();
    return block.lines.length > 0;
  });
}

/** For each line index, the first line at or after it that matches `pattern` (-1 when none); one more entry for the end. */
function nextMatchingLine(lines: string[], pattern: RegExp): number[] {
  const next = new Array<number>(lines.length + 1).fill(-1);
  for (let i = lines.length - 1; i >= 0; i--) next[i] = pattern.test(lines[i]!) ? i : next[i + 1]!;
  return next;
}

export function inlinePieces(blocks: Block[]): Inline[] {
  return blocks.flatMap((block) => (block.kind === "pre" ? [] : block.lines.flat()));
}

// ---- Inline scanning ----

interface LinePairs {
  codeSpans: Map<number, CodeSpan>;
  brackets: Map<number, number>;
  parens: Map<number, number>;
}
interface CodeSpan {
  contentStart: number;
  contentEnd: number;
  end: number;
}
type Found = { piece: Piece; end: number } | null;

/** One line as inline pieces, emphasis resolved. */
function scanLine(line: string): Inline[] {
  const pieces = scanPieces(line);
  resolveEmphasis(pieces.filter((piece): piece is Delimiter => piece.kind === "delimiter"));
  return pieces.flatMap((piece) => (piece.kind === "delimiter" ? delimiterInlines(piece) : [piece]));
}

/** Left to right, the first construct that starts at a position wins; what none claims is text. */
function scanPieces(line: string): Piece[] {
  const pairs: LinePairs = { codeSpans: codeSpans(line), brackets: bracketPairs(line), parens: parenPairs(line) };
  const pieces: Piece[] = [];
  let textStart = 0;
  let i = 0;
  while (i < line.length) {
    const found = readConstruct(line, i, pairs);
    if (found === null) {
      i++;
      continue;
    }
    if (textStart < i) pieces.push({ kind: "text", text: line.slice(textStart, i) });
    pieces.push(found.piece);
    i = textStart = found.end;
  }
  if (textStart < line.length) pieces.push({ kind: "text", text: line.slice(textStart) });
  return pieces;
}

function readConstruct(line: string, i: number, pairs: LinePairs): Found {
  switch (line[i]) {
    case "`":
      return readCode(line, i, pairs.codeSpans);
    case "[":
      return readLink(line, i, pairs);
    case "@":
      return readMention(line, i);
    case "*":
    case "_":
      return readDelimiter(line, i);
    case "h":
    case "H":
      return readBareUrl(line, i);
    default:
      return null;
  }
}

/** For the start of each backtick run, the code span up to the next run of the same length. */
function codeSpans(line: string): Map<number, CodeSpan> {
  const runs: { start: number; end: number }[] = [];
  for (let i = 0; i < line.length; ) {
    if (line[i] !== "`") {
      i++;
      continue;
    }
    const start = i;
    while (line[i] === "`") i++;
    runs.push({ start, end: i });
  }
  const spans = new Map<number, CodeSpan>();
  const nextRunOfLength = new Map<number, { start: number; end: number }>();
  for (const run of runs.reverse()) {
    const length = run.end - run.start;
    const close = nextRunOfLength.get(length);
    if (close !== undefined) spans.set(run.start, { contentStart: run.end, contentEnd: close.start, end: close.end });
    nextRunOfLength.set(length, run);
  }
  return spans;
}

/** For each `[`, the first `]` after it, when no other `[` comes between. */
function bracketPairs(line: string): Map<number, number> {
  const pairs = new Map<number, number>();
  let open = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "[") open = i;
    else if (line[i] === "]" && open >= 0) {
      pairs.set(open, i);
      open = -1;
    }
  }
  return pairs;
}

/** For each `(`, the `)` that balances it, when no whitespace comes between. */
function parenPairs(line: string): Map<number, number> {
  const pairs = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === "(") open.push(i);
    else if (char === ")" && open.length > 0) pairs.set(open.pop()!, i);
    else if (/\s/.test(char)) open.length = 0;
  }
  return pairs;
}

function readCode(line: string, i: number, spans: Map<number, CodeSpan>): Found {
  const span = spans.get(i);
  if (span === undefined) return null;
  return { piece: { kind: "code", text: line.slice(span.contentStart, span.contentEnd) }, end: span.end };
}

/** `[text](https://url)`: the text is shown as it is (no formatting, no links inside). */
function readLink(line: string, i: number, pairs: LinePairs): Found {
  const textEnd = pairs.brackets.get(i);
  if (textEnd === undefined || line[textEnd + 1] !== "(") return null;
  const hrefEnd = pairs.parens.get(textEnd + 1);
  const text = line.slice(i + 1, textEnd);
  if (hrefEnd === undefined || text.trim() === "") return null;
  const href = line.slice(textEnd + 2, hrefEnd);
  if (!isSafeUrl(href)) return null;
  return { piece: { kind: "link", href, text }, end: hrefEnd + 1 };
}

const URL_STOP = /[\s<>"`[\]]/;
const SAFE_URL = /^https?:\/\/[^\s<>"`[\]/\\?#][^\s<>"`[\]]*$/i;
const TRAILING_PUNCTUATION = ".,:;!?'*_~";

function isSafeUrl(url: string): boolean {
  if (!SAFE_URL.test(url)) return false;
  try {
    const protocol = new URL(url).protocol; // the scheme as a browser would read it, not as it looks
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** A bare http(s) URL, up to whitespace or `< > " \` [ ]`, without trailing punctuation or an unbalanced `)`. */
function readBareUrl(line: string, i: number): Found {
  const scheme = line.slice(i, i + 8).toLowerCase();
  if (!scheme.startsWith("http://") && !scheme.startsWith("https://")) return null;
  if (endsWithWordChar(line.slice(Math.max(0, i - 2), i))) return null;
  let end = i;
  while (end < line.length && !URL_STOP.test(line[end]!)) end++;
  end = urlEndWithoutTrailingPunctuation(line, i, end);
  const url = line.slice(i, end);
  // Not a URL after all: the whole stretch is text, so the scan never goes over it again (keeps it linear).
  if (!isSafeUrl(url)) return { piece: { kind: "text", text: url }, end };
  return { piece: { kind: "link", href: url, text: url }, end };
}

function urlEndWithoutTrailingPunctuation(line: string, start: number, end: number): number {
  let opens = 0;
  let closes = 0;
  for (let k = start; k < end; k++) {
    if (line[k] === "(") opens++;
    else if (line[k] === ")") closes++;
  }
  while (end > start) {
    const last = line[end - 1]!;
    if (TRAILING_PUNCTUATION.includes(last)) end--;
    else if (last === ")" && closes > opens) {
      end--;
      closes--;
    } else break;
  }
  return end;
}

const HANDLE_RUN = /[\p{L}\p{M}\p{N}]+/uy;

function readMention(line: string, i: number): Found {
  if (endsWithWordChar(line.slice(Math.max(0, i - 2), i))) return null;
  HANDLE_RUN.lastIndex = i + 1;
  const run = HANDLE_RUN.exec(line)?.[0] ?? "";
  const handle = handleOf(run);
  if (handle === "") return null;
  const end = i + 1 + run.length;
  return { piece: { kind: "mention", handle, text: line.slice(i, end) }, end };
}

/** A run of `*` or `_`. `_` only opens at the start of a word and closes at its end, so snake_case stays as it is. */
function readDelimiter(line: string, i: number): Found {
  const char = line[i] === "*" ? "*" : "_";
  let end = i;
  while (line[end] === char) end++;
  const before = line.slice(Math.max(0, i - 2), i);
  const after = line.slice(end, end + 2);
  const spaceBefore = before === "" || /\s$/u.test(before);
  const spaceAfter = after === "" || /^\s/u.test(after);
  const canOpen = !spaceAfter && (char === "*" || !endsWithWordChar(before));
  const canClose = !spaceBefore && (char === "*" || !startsWithWordChar(after));
  return { piece: { kind: "delimiter", char, count: end - i, canOpen, canClose, opens: [], closes: [] }, end };
}

// Two UTF-16 units either side are enough to hold one code point.
function endsWithWordChar(text: string): boolean {
  return /[\p{L}\p{N}]$/u.test(text);
}

function startsWithWordChar(text: string): boolean {
  return /^[\p{L}\p{N}]/u.test(text);
}

// ---- Emphasis ----

/**
 * Pairs delimiter runs as CommonMark does, simplified: each closer takes the nearest opener of the same mark below it,
 * two marks (strong) when both have two, else one (em); unpaired openers between them turn literal. `searchFloor`
 * remembers, per mark, how much of the stack is known to hold no opener for it, so failed searches are not repeated.
 */
function resolveEmphasis(delimiters: Delimiter[]): void {
  const openers: Delimiter[] = [];
  const searchFloor = { "*": 0, _: 0 };
  for (const delimiter of delimiters) {
    if (delimiter.canClose) closeEmphasis(delimiter, openers, searchFloor);
    if (delimiter.canOpen && delimiter.count > 0) openers.push(delimiter);
  }
}

function closeEmphasis(closer: Delimiter, openers: Delimiter[], searchFloor: Record<"*" | "_", number>): void {
  while (closer.count > 0) {
    let at = openers.length - 1;
    while (at >= searchFloor[closer.char] && openers[at]!.char !== closer.char) at--;
    if (at < searchFloor[closer.char]) {
      searchFloor[closer.char] = openers.length;
      return;
    }
    const opener = openers[at]!;
    const used = opener.count >= 2 && closer.count >= 2 ? 2 : 1;
    const tag: Tag = used === 2 ? "strong" : "em";
    opener.count -= used;
    closer.count -= used;
    opener.opens.unshift(tag); // pairs found later enclose the earlier ones
    closer.closes.push(tag);
    openers.length = opener.count > 0 ? at + 1 : at;
    searchFloor["*"] = Math.min(searchFloor["*"], openers.length);
    searchFloor._ = Math.min(searchFloor._, openers.length);
  }
}

function delimiterInlines(delimiter: Delimiter): Inline[] {
  const literal: Inline[] = delimiter.count > 0 ? [{ kind: "text", text: delimiter.char.repeat(delimiter.count) }] : [];
  return [
    ...delimiter.closes.map((tag): Inline => ({ kind: "close", tag })),
    ...literal,
    ...delimiter.opens.map((tag): Inline => ({ kind: "open", tag })),
  ];
}

