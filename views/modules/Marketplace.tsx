// The marketplace: browse and search modules, a module's page (what it may do, in plain words; who made it; its
// versions; how many spaces use it; where you have it), and the consent screen that grants exactly what it asks.

export interface ModuleCard {
  id: string;
  slug: string;
  name: string;
  description: string;
  icon: string;
  category: string;
  contexts: string[];
}

export interface MarketplaceProps {
  modules: ModuleCard[];
  query: { q: string; category: string; context: string };
  categories: readonly string[];
}

const CONTEXT_WORDS: Record<string, string> = { personal: "Personal", business: "Business", household: "Household" };

export function MarketplacePage(props: MarketplaceProps) {
  return (
    <div class="marketplace">
      <h1>Marketplace</h1>
      <form class="marketplace-search" method="get" action="/marketplace" hx-get="/marketplace" hx-target="#marketplace-results" hx-select="#marketplace-results" hx-swap="outerHTML" hx-push-url="true" hx-trigger="submit, change, input delay:300ms from:#mp-q">
        <label for="mp-q">Search</label>
        <input id="mp-q" type="search" name="q" value={props.query.q} maxlength={100} />
        <label for="mp-category">Category</label>
        <select id="mp-category" name="category">
          <option value="">Any</option>
          {props.categories.map((c) => (
            <option value={c} selected={c === props.query.category}>
              {c}
            </option>
          ))}
        </select>
        <label for="mp-context">For</label>
        <select id="mp-context" name="context">
          <option value="">Any space</option>
          {Object.entries(CONTEXT_WORDS).map(([value, label]) => (
            <option value={value} selected={value === props.query.context}>
              {label}
            </option>
          ))}
        </select>
        <button type="submit">Search</button>
      </form>
      <MarketplaceResults modules={props.modules} />
    </div>
  );
}

export function MarketplaceResults(props: { modules: ModuleCard[] }) {
  return (
    <div id="marketplace-results">
      {props.modules.length === 0 ? (
        <p class="empty-state">No modules match.</p>
      ) : (
        <ul class="module-cards">
          {props.modules.map((m) => (
            <li class="module-card">
              <span class="module-icon" aria-hidden="true">
                {m.icon}
              </span>
              <a href={`/marketplace/${m.slug}`}>
                <strong>{m.name}</strong>
              </a>
              <p>{m.description}</p>
              <p class="muted">
                {m.category} · {m.contexts.map((c) => CONTEXT_WORDS[c] ?? c).join(", ")}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export interface PlaceStatus {
  context: string;
  label: string;
  /** Installed and running this version; null when not installed. */
  version: string | null;
  /** A newer approved version asks for more and waits for a consent here. */
  waitingVersion: string | null;
  openHref: string | null;
}

export interface ModulePageProps {
  module: ModuleCard & { developer: string };
  version: string;
  scopes: { scope: string; means: string }[];
  price: string;
  versions: { version: string; approvedAt: string | null }[];
  installs: number;
  places: PlaceStatus[];
  message?: string | null;
}

export function ModulePage(props: ModulePageProps) {
  const m = props.module;
  return (
    <article class="module-page">
      <p>
        <a href="/marketplace">← Marketplace</a>
      </p>
      <h1>
        <span class="module-icon" aria-hidden="true">
          {m.icon}
        </span>{" "}
        {m.name}
      </h1>
      {props.message ? (
        <p class="notice" role="status">
          {props.message}
        </p>
      ) : null}
      <p>{m.description}</p>
      <dl class="module-facts">
        <dt>By</dt>
        <dd>{m.developer}</dd>
        <dt>Price</dt>
        <dd>{props.price}</dd>
        <dt>Used in</dt>
        <dd>
          {props.installs} {props.installs === 1 ? "space" : "spaces"}
        </dd>
        <dt>Version</dt>
        <dd>{props.version}</dd>
      </dl>
      <h2>What it may do</h2>
      {props.scopes.length ? (
        <ul class="scope-list">
          {props.scopes.map((s) => (
            <li>
              {s.means} <code class="muted">{s.scope}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p>Nothing beyond showing its own pages.</p>
      )}
      <h2>Your spaces</h2>
      {props.places.length === 0 ? (
        <p class="muted">You do not manage a space this module is made for.</p>
      ) : (
        <ul class="module-places">
          {props.places.map((p) => (
            <li>
              <strong>{p.label}</strong>{" "}
              {p.version ? (
                <>
                  — installed ({p.version}) {p.openHref ? (
                    <a href={p.openHref} hx-boost="false">
                      Open
                    </a>
                  ) : null}{" "}
                  {p.waitingVersion ? (
                    <a class="button" href={`/marketplace/${m.slug}/install?context=${encodeURIComponent(p.context)}`}>
                      Review {p.waitingVersion}'s new access
                    </a>
                  ) : null}
                  <form method="post" action={`/marketplace/${m.slug}/uninstall`} class="inline-form">
                    <input type="hidden" name="context" value={p.context} />
                    <button type="submit" class="secondary">
                      Uninstall
                    </button>
                  </form>
                </>
              ) : (
                <a class="button" href={`/marketplace/${m.slug}/install?context=${encodeURIComponent(p.context)}`}>
                  Install
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
      <h2>Versions</h2>
      <ul class="module-versions">
        {props.versions.map((v) => (
          <li>
            {v.version} {v.approvedAt ? <span class="muted">approved {v.approvedAt.slice(0, 10)}</span> : null}
          </li>
        ))}
      </ul>
    </article>
  );
}

export interface ConsentProps {
  module: { slug: string; name: string; icon: string; developer: string };
  version: string;
  context: string;
  placeLabel: string;
  scopes: { scope: string; means: string }[];
  /** Scopes beyond what this space granted before (a new version asking for more), shown first. */
  added: string[];
  price: string;
  errors?: Record<string, string[] | undefined>;
}

export function ConsentPage(props: ConsentProps) {
  const formError = props.errors?._form?.[0] ?? props.errors?.scopes?.[0] ?? props.errors?.context?.[0];
  return (
    <article class="consent">
      <h1>
        Install {props.module.name} {props.version} in {props.placeLabel}?
      </h1>
      <p>
        {props.module.name} is made by {props.module.developer}. {props.price}
      </p>
      {formError ? (
        <p class="field-error" role="alert">
          {formError}
        </p>
      ) : null}
      <h2>It will be able to</h2>
      {props.scopes.length ? (
        <ul class="scope-list">
          {props.scopes.map((s) => (
            <li>
              {s.means}
              {props.added.includes(s.scope) ? <strong> (new)</strong> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>Show its own pages, and nothing more.</p>
      )}
      <p class="muted">It never sees your email address or our ids for you or the space. You can uninstall it at any time.</p>
      <form method="post" action={`/marketplace/${props.module.slug}/install`}>
        <input type="hidden" name="context" value={props.context} />
        {props.scopes.map((s) => (
          <input type="hidden" name="scopes" value={s.scope} />
        ))}
        <button type="submit">Allow and install</button> <a href={`/marketplace/${props.module.slug}`}>Cancel</a>
      </form>
    </article>
  );
}
