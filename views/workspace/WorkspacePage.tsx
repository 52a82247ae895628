import { html } from "hono/html";
import type { Child } from "hono/jsx";
import { KIND_LABELS } from "../layouts/ContextSwitcher";
import { BusinessLogo, type LogoOwner } from "./BusinessLogo";

export interface WorkspaceTab {
  id: string;
  label: string;
  href: string;
  /**
   * Opened as a whole page, not swapped into the panel: a marketplace module's frame is allowed by its own response's
   * CSP (frame-src), and a swap would keep the current page's, which refuses it.
   */
  wholePage?: boolean;
}

export interface WorkspaceHeading {
  business: LogoOwner;
  kind: "company" | "institution";
  role: string;
}

/**
 * The business's name, kind, logo and the member's role. It reloads itself when the settings tab
 * saves (the `business-settings-changed` event), so a rename or a new logo shows at once.
 */
export function WorkspaceHeadingBlock(props: { heading: WorkspaceHeading }) {
  const { heading } = props;
  return (
    <div
      id="workspace-heading"
      class="workspace-heading"
      hx-get={`/business/${heading.business.id}/heading`}
      hx-trigger="business-settings-changed from:body"
      hx-swap="outerHTML"
    >
      <BusinessLogo business={heading.business} size="small" />
      <div>
        <p class={`context-kind kind-${heading.kind}`}>{KIND_LABELS[heading.kind]}</p>
        <h1>{heading.business.name}</h1>
        <p class="muted">Your role: {heading.role}</p>
      </div>
    </div>
  );
}

const PANEL_ID = "workspace-panel";

/**
 * The workspace's module tabs. They are links that change the address, so this is a navigation
 * landmark with aria-current on the open tab (not an ARIA tablist, which would promise arrow-key
 * behaviour and no page change). Each link works without JavaScript; htmx fetches only the panel
 * and pushes the address. `oob` sends it again with the panel so the highlight follows the swap.
 */
export function WorkspaceTabs(props: { tabs: WorkspaceTab[]; active: string | null; oob?: boolean }) {
  return (
    <nav id="workspace-tabs" class="workspace-tabs" aria-label="Workspace modules" hx-swap-oob={props.oob ? "true" : undefined}>
      <ul>
        {props.tabs.map((tab) => (
          <li>
            <a
              href={tab.href}
              hx-get={tab.wholePage ? undefined : tab.href}
              hx-target={tab.wholePage ? undefined : `#${PANEL_ID}`}
              hx-push-url={tab.wholePage ? undefined : "true"}
              hx-boost={tab.wholePage ? "false" : undefined}
              aria-current={tab.id === props.active ? "page" : undefined}
            >
              {tab.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** What sits inside the panel: the module's heading and its content. */
function PanelContent(props: { label: string; children: Child }) {
  return (
    <>
      <h2 id="workspace-panel-title" class="workspace-panel-title">
        {props.label}
      </h2>
      {props.children}
    </>
  );
}

export interface WorkspaceViewProps {
  /** The document title without the product suffix. */
  title: string;
  tabs: WorkspaceTab[];
  active: string | null;
  label: string;
  children: Child;
}

/**
 * What a tab link's htmx request swaps in: the panel's content for #workspace-panel, the tab bar
 * out of band, and a root-level <title> that htmx applies to the document.
 */
export function WorkspaceFragment(props: WorkspaceViewProps) {
  return (
    <>
      {/* A template, not JSX <title>: hono/jsx hoists a root-level <title> into <head> with a callback
          that searches the whole rendered fragment for </head>, which a fragment never has (the same
          bytes come out; docs/performance.md). */}
      {html`<title>${props.title} · Block on Block</title>`}
      <PanelContent label={props.label}>{props.children}</PanelContent>
      <WorkspaceTabs tabs={props.tabs} active={props.active} oob />
    </>
  );
}

/** The whole workspace inside AppShell (which draws the only header). */
export function WorkspacePage(props: WorkspaceViewProps & { heading: WorkspaceHeading }) {
  const { heading } = props;
  return (
    <section class="workspace">
      <WorkspaceHeadingBlock heading={heading} />
      <WorkspaceTabs tabs={props.tabs} active={props.active} />
      <section id={PANEL_ID} class="workspace-panel" aria-labelledby="workspace-panel-title" tabindex={-1}>
        <PanelContent label={props.label}>{props.children}</PanelContent>
      </section>
    </section>
  );
}
