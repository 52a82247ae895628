// Turns a pasted list or an uploaded CSV file into raw rows; validation happens in the service.

/** One row as typed: nothing checked yet except its shape. */
export interface RawRow {
  /** Line number in the pasted text or the file (1-based), or position in a JSON array. */
  line: number;
  email: string;
  role: string;
  department: string;
  position: string;
  /** A problem with the row's shape (too many values), reported with the row. */
  problem?: string;
}

export type ParseResult = { ok: true; rows: RawRow[] } | { ok: false; message: string };

export const MAX_ROWS = 500;
export const COLUMNS = ["email", "role", "department", "position"] as const;
type Column = (typeof COLUMNS)[number];

/** Splits CSV text into records with their starting line; quotes may hold commas, quotes ("") and line breaks. */
export function splitRecords(text: string, delimiter: string): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      cells.push(cell);
      records.push({ line: start, cells });
      cells = [];
      cell = "";
      line++;
      start = line;
    } else cell += ch;
  }
  cells.push(cell);
  records.push({ line: start, cells });
  return records.filter((r) => r.cells.some((c) => c.trim() !== ""));
}

function headerOf(cells: string[]): Column[] | null {
  const names = cells.map((c) => c.trim().toLowerCase());
  if (!names.includes("email")) return null;
  if (names.some((n) => !(COLUMNS as readonly string[]).includes(n)) || new Set(names).size !== names.length) return null;
  return names as Column[];
}

/**
 * A pasted list: one email per line, or "email, role, department, position" (tabs work too, as a
 * spreadsheet pastes them). A first line "email,role,…" is read as a header. With `requireHeader`
 * (a CSV file), the header must be there.
 */
export function parseList(text: string, options: { requireHeader?: boolean } = {}): ParseResult {
  const body = text.replace(/^\uFEFF/, "");
  const delimiter = body.includes("\t") && !body.includes(",") ? "\t" : ",";
  const records = splitRecords(body, delimiter);
  let columns: readonly Column[] = COLUMNS;
  const first = records[0];
  const header = first ? headerOf(first.cells) : null;
  if (header) {
    columns = header;
    records.shift();
  } else if (options.requireHeader) {
    return { ok: false, message: "The first line of the file must be the header: email,role,department,position." };
  } else if (first && first.cells[0]?.trim().toLowerCase() === "email") {
    return { ok: false, message: "The header line may only name the columns email, role, department and position, each once." };
  }
  if (records.length === 0) return { ok: false, message: "Enter at least one email address." };
  if (records.length > MAX_ROWS) return { ok: false, message: `At most ${MAX_ROWS} invitations at once; this list has ${records.length}.` };
  const rows = records.map(({ line, cells }): RawRow => {
    const value = (name: Column) => {
      const index = columns.indexOf(name);
      return index === -1 ? "" : (cells[index] ?? "").trim();
    };
    const row: RawRow = { line, email: value("email"), role: value("role"), department: value("department"), position: value("position") };
    const extra = cells.slice(columns.length).some((c) => c.trim() !== "");
    if (extra) row.problem = `Expected at most ${columns.length} values (${columns.join(", ")}).`;
    return row;
  });
  return { ok: true, rows };
}

/**
 * An uploaded file's bytes as text, or null when they are not text: it must be UTF-8 (a BOM is
 * fine) without NUL or other control characters than tab and line breaks.
 */
export function decodeTextFile(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) return null;
  return text;
}
