// Shared by the consent suites: an app per file, and the operator publishing a new version of a
// document (the config the running app reads, as a restart with a new TERMS_VERSION would give).
import type { TestApp } from "../../test/app";

/** Publishes a new terms (or privacy notice) version in this app; returns a function that puts the old one back. */
export function publishNewVersion(t: TestApp, document: "TERMS_VERSION" | "PRIVACY_VERSION", version: string): () => void {
  const before = t.deps.config[document];
  t.deps.config[document] = version;
  return () => {
    t.deps.config[document] = before;
  };
}
