// The rules of installing, as pure functions: which context an install names, who may install there, what a
// consent must grant, and what a newly approved version does to each install. No database (install-rules.test.ts).
import type { FieldErrors } from "../../lib/errors";
import { scopesBeyond } from "./manifest";
import { MODULE_CONTEXTS, type ModuleContextType } from "./schema";

export interface ContextRef {
  type: ModuleContextType;
  id: string;
}

/** "business:<id>", "household:<id>" or "personal:<id>" (null: none of these). */
export function parseContextRef(text: string): ContextRef | null {
  const match = /^(personal|business|household):([A-Za-z0-9_-]{1,64})$/.exec(text);
  return match ? { type: match[1] as ModuleContextType, id: match[2]! } : null;
}

export const contextRefText = (ref: ContextRef) => `${ref.type}:${ref.id}`;

/** Who may install and uninstall: the person in their own space, a business's owners and admins, a household's owners. */
export function mayInstall(ref: ContextRef, who: { userId: string; businessRole?: string; householdRole?: string }): boolean {
  if (ref.type === "personal") return ref.id === who.userId;
  if (ref.type === "business") return who.businessRole === "owner" || who.businessRole === "admin";
  return who.householdRole === "owner";
}

/** A consent grants exactly the scopes the version asks for: nothing missing, nothing extra. */
export function consentErrors(requested: readonly string[], granted: readonly string[]): FieldErrors {
  const missing = scopesBeyond(requested, granted);
  const extra = scopesBeyond(granted, requested);
  if (missing.length === 0 && extra.length === 0) return {};
  const parts = [missing.length ? `grant ${missing.join(", ")}` : "", extra.length ? `do not grant ${extra.join(", ")} (not asked for)` : ""].filter(Boolean);
  return { scopes: [`Grant exactly the scopes this version asks for: ${parts.join("; ")}.`] };
}

export const supportsContext = (contexts: readonly ModuleContextType[], type: ModuleContextType) => contexts.includes(type) && (MODULE_CONTEXTS as readonly string[]).includes(type);

export type ApprovalStep =
  /** The new version asks for nothing beyond what was granted: it runs now, with the scopes it asks for. */
  | { kind: "upgrade"; scopes: string[]; scopesChanged: boolean }
  /** It asks for more: the old version keeps running until someone who may install consents again. */
  | { kind: "waits"; newScopes: string[] };

export function onApproval(install: { scopes: readonly string[] }, version: { scopes: readonly string[] }): ApprovalStep {
  const more = scopesBeyond(version.scopes, install.scopes);
  if (more.length) return { kind: "waits", newScopes: more };
  const scopesChanged = install.scopes.length !== version.scopes.length || scopesBeyond(install.scopes, version.scopes).length > 0;
  return { kind: "upgrade", scopes: [...version.scopes], scopesChanged };
}
