import type { ContextLink } from "../../src/features/workspace/context-link";
import type { HomeAgenda, HomeAgendaItem } from "../../src/features/calendar";
import { KIND_LABELS } from "../layouts/ContextSwitcher";

/** One context's card on /home: what it holds, and what waits for this user there. */
export interface ContextCard {
  context: ContextLink;
  summary: { label: string; value: string | number }[];
  /** Things waiting for this user in this context, each a link to where it is handled. */
  attention: { text: string; href: string }[];
  /** Today's and tomorrow's events in this context's calendars. */
  agenda?: HomeAgenda;
  /** Marketplace modules installed in this context, each a link to its tab. */
  modules?: { name: string; href: string }[];
  /** The context's plan and billing page (one's own space only: a business's and a household's are on their pages). */
  billingHref?: string;
}

function AgendaDay(props: { label: string; items: HomeAgendaItem[] }) {
  return (
    <>
      <h3>{props.label}</h3>
      {props.items.length ? (
        <ul>
          {props.items.map((item) => (
            <li>
              <span class="cal-chip-time">{item.time}</span> {item.href ? <a href={item.href}>{item.title}</a> : <span>{item.title}</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">Nothing planned.</p>
      )}
    </>
  );
}

function plural(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

/** The multi-context dashboard: one card per context, each with what needs attention there. */
export function HomePage(props: { name: string; cards: ContextCard[] }) {
  return (
    <section class="home-page">
      <h1>Welcome, {props.name}</h1>
      <ul class="context-cards">
        {props.cards.map((card) => (
          <li class={`card context-card kind-${card.context.kind}`}>
            <p class={`context-kind kind-${card.context.kind}`}>{KIND_LABELS[card.context.kind]}</p>
            <h2>
              <a href={card.context.href}>{card.context.label}</a>
            </h2>
            {card.context.role ? <p class="muted">Your role: {card.context.role}</p> : null}
            {card.summary.length ? (
              <dl class="summary">
                {card.summary.map((item) => (
                  <div>
                    <dt>{item.label}</dt>
                    <dd>{item.value}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
            {card.agenda ? (
              <div class="home-calendar">
                <AgendaDay label="Today" items={card.agenda.today} />
                <AgendaDay label="Tomorrow" items={card.agenda.tomorrow} />
              </div>
            ) : null}
            {card.modules?.length ? (
              <nav class="home-modules" aria-label={`Modules of ${card.context.label}`}>
                <h3>Modules</h3>
                <ul>
                  {card.modules.map((m) => (
                    <li>
                      {/* A whole page: the module's frame needs that response's CSP (frame-src). */}
                      <a href={m.href} hx-boost="false">
                        {m.name}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
            {card.billingHref ? (
              <p>
                <a href={card.billingHref}>Plan and billing</a>
              </p>
            ) : null}
            {card.attention.length ? (
              <ul class="attention">
                {card.attention.map((item) => (
                  <li>
                    <a href={item.href}>{item.text}</a>
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted">Nothing needs your attention here.</p>
            )}
          </li>
        ))}
      </ul>
      <p class="home-actions">
        <a class="button" href="/businesses/new">New business or institution</a>
        <a class="button" href="/households/new">New household</a>
      </p>
      <p class="muted">{plural(props.cards.length, "context", "contexts")}</p>
    </section>
  );
}
