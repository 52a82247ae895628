import type { Child } from "hono/jsx";

/** /terms and /privacy: the document, its version, and where to manage one's answers. */
export function LegalPage(props: { title: string; version: string; signedIn: boolean; children: Child }) {
  return (
    <article class="narrow-page legal-page">
      <h1>{props.title}</h1>
      <p class="muted">
        Version <strong class="version">{props.version}</strong>
      </p>
      {props.children}
      <p class="muted">{props.signedIn ? <a href="/profile#consents">Your consents and their history</a> : <a href="/register">Create an account</a>}</p>
    </article>
  );
}
