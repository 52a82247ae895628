// The archive's layout: one JSON file per feature under data/, the person's files under files/,
// and a README that explains them. Pure: bytes in, ZIP bytes out.
import { strToU8, zipSync, type Zippable } from "fflate";

export interface ArchivePart {
  feature: string;
  json: Uint8Array;
}

export interface ArchiveFile {
  /** Where the file goes under files/ (made safe here). */
  path: string;
  bytes: Uint8Array;
}

/** A path inside the archive that no unzip tool can take out of its folder: plain segments, no dots in front. */
export function safeArchivePath(path: string): string {
  const segments = path
    .split(/[\\/]+/)
    .map((segment) => segment.replace(/[^\p{L}\p{N} ._()-]/gu, "_").replace(/^[. ]+/, "").slice(0, 120))
    .filter((segment) => segment !== "");
  return segments.length ? segments.join("/") : "file";
}

export function readme(parts: string[], files: number, createdAt: Date, descriptions: Record<string, string>): string {
  const lines = [
    "Your data from Block on Block",
    "=============================",
    "",
    `Made ${createdAt.toISOString()} for the account it was downloaded from.`,
    "",
    "data/<feature>.json  One JSON file per part of the platform that keeps something about you.",
    "                     Times are ISO 8601 in UTC; ids are the platform's own.",
    ...parts.map((feature) => `  data/${feature}.json${" ".repeat(Math.max(1, 18 - feature.length))}${descriptions[feature] ?? ""}`),
    "",
    `files/               The files you uploaded (${files}), under the feature they belong to, named as you`,
    "                     uploaded them (chat/<conversation id>/<file id>-<name>). data/chat.json lists them too.",
    "",
    "Secrets are never exported: no password hash, no second-factor seed, no session token.",
    "Data that is about other people (their messages, their addresses) is not yours to take and is not here;",
    "where you were only mentioned, the mention says so.",
    "",
  ];
  return lines.join("\n");
}

export function buildArchive(parts: ArchivePart[], files: ArchiveFile[], readmeText: string): Uint8Array {
  const entries: Zippable = { "README.txt": strToU8(readmeText) };
  for (const part of parts) entries[`data/${safeArchivePath(part.feature)}.json`] = part.json;
  const taken = new Set<string>();
  for (const file of files) {
    let path = `files/${safeArchivePath(file.path)}`;
    for (let n = 2; taken.has(path); n++) path = `files/${safeArchivePath(file.path)} (${n})`;
    taken.add(path);
    // Uploaded files are mostly compressed already (images, PDFs): stored as they are.
    entries[path] = [file.bytes, { level: 0 }];
  }
  return zipSync(entries, { level: 6 });
}
