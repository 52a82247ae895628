/** Previous / next links for a list; htmx swaps only the list region and pushes the address. */
export function Pager(props: { label: string; target: string; previous?: string | null; next?: string | null; nextLabel?: string; previousLabel?: string }) {
  if (!props.previous && !props.next) return null;
  const link = (href: string, text: string, rel: string) => (
    <a class="button small" href={href} rel={rel} hx-get={href} hx-target={props.target} hx-swap="outerHTML" hx-push-url="true">
      {text}
    </a>
  );
  return (
    <nav class="pager" aria-label={props.label}>
      {props.previous ? link(props.previous, props.previousLabel ?? "Previous page", "prev") : <span />}
      {props.next ? link(props.next, props.nextLabel ?? "Next page", "next") : null}
    </nav>
  );
}

/** `?q=…&page=…` for a list page, leaving out what is at its default. */
export function listHref(base: string, q: string, page: number): string {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (page > 1) params.set("page", String(page));
  const text = params.toString();
  return text ? `${base}?${text}` : base;
}

/** The Pager of a searchable list paged by number (`?q=…&page=…` under `base`). */
export function ListPager(props: { label: string; target: string; base: string; q: string; page: number; hasMore: boolean }) {
  const { base, q, page } = props;
  return <Pager label={props.label} target={props.target} previous={page > 1 ? listHref(base, q, page - 1) : null} next={props.hasMore ? listHref(base, q, page + 1) : null} />;
}
