import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

// HTML kept for the last KEPT_HTML keys, each naming ALL it was rendered from — the data itself as read
// in the same request, not a time or a version — so a change to anything shown is a different key
// and is rendered afresh: nothing stale can come back. The workspace's members tab keeps its panel and
// the htmx fragment around it this way: rendering them was most of the tab's time (docs/performance.md).
const KEPT_HTML = 64;
const kept = new Map<string, HtmlEscapedString>();
const keys = new WeakMap<HtmlEscapedString, string>();

/** The HTML for `key`: rendered by `render` (JSX) the first time, or again once it has been dropped. */
export async function keptHtml(key: string, render: () => HtmlEscapedString | Promise<HtmlEscapedString>): Promise<HtmlEscapedString> {
  let html = kept.get(key);
  if (html) {
    kept.delete(key); // set again below: the Map's order is least recently used first
  } else {
    const node = await render();
    html = raw(await node.toString()); // a JSX node's toString() may return a promise
    keys.set(html, key);
    if (kept.size >= KEPT_HTML) kept.delete(kept.keys().next().value!);
  }
  kept.set(key, html);
  return html;
}

/** The key of HTML that keptHtml returned, so what is built around it can be kept as well. */
export const keptKey = (content: unknown): string | undefined => (content instanceof String ? keys.get(content as HtmlEscapedString) : undefined);
