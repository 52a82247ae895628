/** Only a path on this site may follow sign-in, never another host (`//evil`, `/\evil`). */
export function safeNext(value: unknown): string {
  return typeof value === "string" && /^\/(?![/\\])/.test(value) ? value : "/home";
}
