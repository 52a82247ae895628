import type { ContextLink } from "../../src/features/workspace/context-link";

export interface ShellContexts {
  contexts: ContextLink[];
  active: ContextLink;
}

export const KIND_LABELS: Record<ContextLink["kind"], string> = {
  personal: "Personal",
  company: "Business",
  institution: "Institution",
  household: "Household",
};

/**
 * The header's context switcher: a disclosure that works without JavaScript. Each context is a
 * small POST form, so choosing one is remembered on the server and works with JS off.
 */
export function ContextSwitcher(props: ShellContexts) {
  const { contexts, active } = props;
  return (
    <details class="context-switcher">
      {/* The accessible name holds the visible text (WCAG 2.5.3): "Switch context: Business Acme Ltd". */}
      <summary>
        <span class="visually-hidden">Switch context: </span>
        <span class={`context-kind kind-${active.kind}`}>{KIND_LABELS[active.kind]}</span>
        <span class="context-name">{active.label}</span>
      </summary>
      <div class="context-menu">
        <ul>
          {contexts.map((context) => (
            <li>
              <form method="post" action="/contexts/switch">
                <input type="hidden" name="context" value={context.key} />
                <button type="submit" class="context-option" aria-current={context.key === active.key ? "true" : undefined}>
                  <span class={`context-kind kind-${context.kind}`}>{KIND_LABELS[context.kind]}</span>
                  <span class="context-name">{context.label}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
        <p class="context-actions">
          <a href="/businesses/new">New business</a>
          <a href="/households/new">New household</a>
        </p>
      </div>
    </details>
  );
}
