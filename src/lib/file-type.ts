// What a file really is, by its first bytes — never its name or the type the upload declared.

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ascii = (text: string) => [...text].map((ch) => ch.charCodeAt(0));
const startsWith = (bytes: Uint8Array, signature: number[], at = 0) =>
  bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);

export type ImageType = "image/png" | "image/jpeg" | "image/webp" | "image/gif";

/** PNG, JPEG, WebP or GIF by signature; null for anything else (SVG is never an image here: it can carry script). */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, PNG)) return "image/png";
  if (startsWith(bytes, JPEG)) return "image/jpeg";
  // RIFF <size> WEBP, then a VP8 / VP8L / VP8X chunk.
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8) && startsWith(bytes, ascii("VP8"), 12)) return "image/webp";
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return "image/gif";
  return null;
}

/** The type to store and serve a file as: a known image, a PDF, else opaque bytes. */
export function sniffFileType(bytes: Uint8Array): string {
  return sniffImageType(bytes) ?? (startsWith(bytes, ascii("%PDF-")) ? "application/pdf" : "application/octet-stream");
}
