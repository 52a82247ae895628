import { z } from "zod";
import { MAX_ROWS, parseList, type ParseResult, type RawRow } from "./parse";

const cell = (max: number) => z.string().max(max, `At most ${max} characters.`).optional().nullable();

const invitationRow = z.object({
  email: z.string({ error: "Give an email address." }).max(320, "At most 320 characters."),
  role: cell(40),
  department: cell(200),
  position: cell(200),
});

/** `POST …/invitations`: rows as objects, or the same text a person would paste. */
export const inviteJsonInput = z.union(
  [
    z.object({ invitations: z.array(invitationRow).min(1, "Give at least one invitation.").max(MAX_ROWS, `At most ${MAX_ROWS} invitations at once.`), defaultRole: cell(40) }),
    z.object({ text: z.string().min(1, "Give at least one email address.").max(500_000), defaultRole: cell(40) }),
  ],
  { error: "Send {invitations: [{email, role, department?, position?}]} or {text: \"…\"}." },
);
export type InviteJsonInput = z.infer<typeof inviteJsonInput>;

export function rowsFromJson(input: InviteJsonInput): ParseResult {
  if ("text" in input) return parseList(input.text);
  const rows = input.invitations.map(
    (row, index): RawRow => ({ line: index + 1, email: row.email, role: row.role ?? "", department: row.department ?? "", position: row.position ?? "" }),
  );
  return { ok: true, rows };
}

/** The invite form's plain fields; the CSV file is read from the same multipart body. */
export const inviteFormInput = z.object({
  text: z.string().max(500_000).optional().default(""),
  defaultRole: z.string().max(40).optional().default(""),
});

export const MAX_FILE_BYTES = 1024 * 1024;
