import { describe, expect, test } from "bun:test";
import { decodeTextFile, parseList, splitRecords } from "./parse";

describe("parseList", () => {
  test("one address per line, or email, role, department, position; blank lines skipped; line numbers kept", () => {
    const parsed = parseList("a@example.com\n\n  b@example.com , manager, Sales , Engineer \r\nc@example.com,member");
    expect(parsed).toEqual({
      ok: true,
      rows: [
        { line: 1, email: "a@example.com", role: "", department: "", position: "" },
        { line: 3, email: "b@example.com", role: "manager", department: "Sales", position: "Engineer" },
        { line: 4, email: "c@example.com", role: "member", department: "", position: "" },
      ],
    });
  });

  test("a header line picks the columns in any order; quotes hold commas, doubled quotes and line breaks", () => {
    const parsed = parseList('position,EMAIL,department\n"Head, Sales",a@example.com,"The ""A"" team"\n"multi\nline",b@example.com,\n');
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.rows).toEqual([
      { line: 2, email: "a@example.com", role: "", department: 'The "A" team', position: "Head, Sales" },
      { line: 3, email: "b@example.com", role: "", department: "", position: "multi\nline" },
    ]);
  });

  test("tab-separated lines (a spreadsheet paste) work; extra values are flagged on the row", () => {
    const parsed = parseList("a@example.com\tadmin\nb@example.com\tmember\tX\tY\tZ");
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.rows[0]).toMatchObject({ email: "a@example.com", role: "admin" });
    expect(parsed.rows[1]!.problem).toContain("at most 4 values");
  });

  test("a file needs its header; a bad header, an empty list and too many rows are refused as a whole", () => {
    expect(parseList("a@example.com", { requireHeader: true }).ok).toBe(false);
    expect(parseList("\uFEFFemail,role\na@example.com,member", { requireHeader: true }).ok).toBe(true);
    expect(parseList("email,colour\na@example.com,red")).toEqual({ ok: false, message: expect.stringContaining("header line") });
    expect(parseList("\n \n")).toEqual({ ok: false, message: "Enter at least one email address." });
    expect(parseList("email\n")).toEqual({ ok: false, message: "Enter at least one email address." });
    const many = Array.from({ length: 501 }, (_, i) => `p${i}@example.com`).join("\n");
    expect(parseList(many)).toEqual({ ok: false, message: expect.stringContaining("At most 500") });
  });

  test("splitRecords ends an unterminated quote at the end of the text", () => {
    expect(splitRecords('"open,quote', ",")).toEqual([{ line: 1, cells: ["open,quote"] }]);
  });
});

describe("decodeTextFile", () => {
  test("UTF-8 text passes; invalid UTF-8, NUL and other control bytes do not", () => {
    expect(decodeTextFile(new TextEncoder().encode("email\nzoë@example.com\t\r\n"))).toBe("email\nzoë@example.com\t\r\n");
    expect(decodeTextFile(new Uint8Array([0xff, 0xfe, 0x00]))).toBeNull();
    expect(decodeTextFile(new TextEncoder().encode("email\u0000"))).toBeNull();
    expect(decodeTextFile(new TextEncoder().encode("email\u001b[31m"))).toBeNull();
  });
});
