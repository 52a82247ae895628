// A marketplace module in its tab: a sandboxed frame on the module's own origin (never allow-same-origin, never our
// origin), with a loading state the bridge clears when the module says it is ready, an error state if it never
// does, and the states where it cannot run. The region re-fetches itself when the module changes (suspended,
// updated, uninstalled): hx-trigger="sse:module-<id>", and when the space's billing changes (a paid module unlocks
// or stops): "sse:billing".

export interface ModuleFrame {
  moduleId: string;
  name: string;
  entryUrl: string;
  origin: string;
  context: string;
  sandbox: string;
  allow: string;
  bridge: string[];
  tokenUrl: string;
  /** The space's pages: `navigate` may go to paths under `within`; `home` and `calendar` are told in `ready`. */
  paths: { home: string; calendar: string; within: string[] };
  /** This region's own address (what the live event re-fetches). */
  selfUrl: string;
  /** The whole page the module's tab is (what "Try again" loads). */
  pageUrl: string;
}

export type ModuleState = { kind: "run"; frame: ModuleFrame } | { kind: "stopped"; moduleId: string; name: string; title: string; text: string; selfUrl: string; action?: { href: string; label: string } };

export const moduleLiveEvent = (moduleId: string) => `module-${moduleId}`;

export function ModuleHost(props: { state: ModuleState }) {
  const { state } = props;
  const id = state.kind === "run" ? state.frame.moduleId : state.moduleId;
  const self = state.kind === "run" ? state.frame.selfUrl : state.selfUrl;
  return (
    <section class="module-host" id={`module-host-${id}`} hx-get={self} hx-trigger={`sse:${moduleLiveEvent(id)}, sse:billing`} hx-target="this" hx-swap="outerHTML">
      {state.kind === "run" ? <RunningModule frame={state.frame} /> : <StoppedModule title={state.title} text={state.text} action={state.action} />}
    </section>
  );
}

function RunningModule(props: { frame: ModuleFrame }) {
  const f = props.frame;
  return (
    <div class="module-run" data-module-host data-origin={f.origin} data-module-id={f.moduleId} data-context={f.context} data-bridge={f.bridge.join(" ")} data-token-url={f.tokenUrl} data-navigate-within={f.paths.within.join(" ")} data-home={f.paths.home} data-calendar={f.paths.calendar}>
      <p class="module-loading" data-module-loading role="status">
        Loading {f.name}…
      </p>
      <div class="module-error" data-module-error hidden role="alert">
        <p>
          <strong>{f.name}</strong> did not start. Its server may be down or slow.
        </p>
        <p>
          <a href={f.pageUrl} hx-boost="false">
            Try again
          </a>
        </p>
      </div>
      <noscript>
        <p class="muted">{f.name} runs in your browser and needs JavaScript.</p>
      </noscript>
      <iframe class="module-frame" src={f.entryUrl} title={f.name} sandbox={f.sandbox} allow={f.allow} referrerpolicy="no-referrer" loading="eager" data-module-frame></iframe>
    </div>
  );
}

function StoppedModule(props: { title: string; text: string; action?: { href: string; label: string } }) {
  return (
    <div class="empty-state module-stopped" role="status">
      <p>
        <strong>{props.title}</strong>
      </p>
      <p class="muted">{props.text}</p>
      {props.action ? (
        <p>
          <a class="button primary" href={props.action.href}>
            {props.action.label}
          </a>
        </p>
      ) : null}
    </div>
  );
}
