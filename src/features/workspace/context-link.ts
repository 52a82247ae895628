// A type of its own, importing nothing, so that views (the header's switcher, /home) can name it
// without loading the workspace service and what it imports.

/** One context a person lives in, as the header's switcher and the /home dashboard show it. */
export interface ContextLink {
  key: string;
  kind: "personal" | "company" | "institution" | "household";
  label: string;
  href: string;
  role: string | null;
}
