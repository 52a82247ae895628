import { html } from "hono/html";

/**
 * A Block ID as selectable text with a copy button. The button is `hidden` until static/app.js
 * finds the Clipboard API, so without JavaScript only the (selectable) number shows.
 */
export function BlockId(props: { value: string | null }) {
  if (!props.value) return <span class="muted">—</span>;
  return (
    <span class="block-id">
      <code class="block-id-value">{props.value}</code>
      <button type="button" class="copy-button" data-copy={props.value} aria-label={`Copy Block ID ${props.value}`} hidden>
        Copy
      </button>
    </span>
  );
}

/** The same markup as an html`` template, for table rows rendered many times over. */
export const blockIdHtml = (value: string | null) =>
  value
    ? html`<span class="block-id"><code class="block-id-value">${value}</code><button type="button" class="copy-button" data-copy="${value}" aria-label="Copy Block ID ${value}" hidden>Copy</button></span>`
    : html`<span class="muted">—</span>`;
