export interface ScopeRef {
  kind: "business" | "household";
  id: string;
  name: string;
}

/** Where a business's or household's invitation and outbox pages live. */
export function scopeBase(scope: Pick<ScopeRef, "kind" | "id">): string {
  return `/${scope.kind}/${scope.id}`;
}

/** The way back to the business or household, and between its invitations and its outbox. */
export function ScopeNav(props: { scope: ScopeRef; current: "invitations" | "outbox" }) {
  const base = scopeBase(props.scope);
  const home = props.scope.kind === "business" ? `${base}/workspace` : base;
  return (
    <nav class="scope-nav" aria-label={props.scope.name}>
      <a href={home}>← {props.scope.name}</a>
      <a href={`${base}/invitations`} aria-current={props.current === "invitations" ? "page" : undefined}>
        Invitations
      </a>
      <a href={`${base}/outbox`} aria-current={props.current === "outbox" ? "page" : undefined}>
        Outbox
      </a>
    </nav>
  );
}
