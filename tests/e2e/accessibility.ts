// The accessibility gate of the Chromium journeys: axe-core checks every page a journey shows, and
// a violation of impact "serious" or "critical" fails the journey.
import { readFileSync } from "node:fs";
import type { BrowserContext, CDPSession, Page } from "playwright-core";

const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// axe runs in an isolated world of its own, through the DevTools protocol: the page's CSP (no
// inline script, no eval) stays on, and the page's scripts never see axe. With the page's JavaScript
// off, that world still runs promises but its timers never fire; axe only needs its zero-delay ones
// (it yields between rules), so they become microtasks. Every page gets the same shim.
const SHIM = `
globalThis.setTimeout = (callback, delay, ...args) => { if (!(delay > 1)) queueMicrotask(() => callback(...args)); return 0; };
globalThis.clearTimeout = () => {};
`;

// All rules, the experimental ones too (they are off by default). Not into frames: a marketplace module's frame is
// another site's page (ours to sandbox, not to audit), and axe would wait on it with timers the shim stops.
const RUN = `
axe.run(document, {
  iframes: false,
  resultTypes: ["violations"],
  rules: Object.fromEntries(axe.getRules(["experimental"]).map((rule) => [rule.ruleId, { enabled: true }])),
}).then((results) => results.violations.map((violation) => ({
  id: violation.id,
  help: violation.help,
  targets: violation.nodes
    .filter((node) => node.impact === "serious" || node.impact === "critical")
    .map((node) => node.target.join(" ")),
})).filter((violation) => violation.targets.length > 0))
`;

interface Violation {
  id: string;
  help: string;
  targets: string[];
}

async function evaluate(cdp: CDPSession, contextId: number, expression: string): Promise<unknown> {
  const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", { contextId, expression, awaitPromise: true, returnByValue: true });
  if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  return result.value;
}

/**
 * Checks `page` with axe after every page load, after every htmx request has been answered (the swap
 * follows the answer at once; htmx settles within 20 ms), and once more when the context closes, so
 * every page load, every htmx swap and every page's last state is checked, in every journey, with
 * JavaScript on or off. A check that starts as the page moves on is dropped (its document is gone;
 * the next page gets its own check). Each violation goes into `errors` (which every journey expects
 * empty), and `context.close()` throws if there was any.
 */
export async function watchAccessibility(context: BrowserContext, page: Page, errors: string[]) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Page.enable");
  const found = new Set<string>();
  const report = (message: string) => {
    if (!found.has(message)) errors.push(message);
    found.add(message);
  };
  let world: { loaderId: string; id: number } | undefined;

  async function check() {
    if (page.isClosed() || page.url() === "about:blank") return;
    const { frame } = (await cdp.send("Page.getFrameTree")).frameTree;
    if (world?.loaderId !== frame.loaderId) {
      const { executionContextId } = await cdp.send("Page.createIsolatedWorld", { frameId: frame.id, worldName: "axe" });
      await evaluate(cdp, executionContextId, `${SHIM}\n${AXE_SOURCE}\n;0`);
      world = { loaderId: frame.loaderId, id: executionContextId };
    }
    const url = page.url();
    for (const violation of (await evaluate(cdp, world.id, RUN)) as Violation[]) {
      report(`accessibility: ${violation.id} (${violation.help}) on ${url} at ${violation.targets.join(", ")}`);
    }
  }

  const GONE = /context was destroyed|Cannot find context|Target closed|has been closed|navigated or closed|No frame/i;
  // One check at a time (axe refuses to start while it runs).
  let queue = Promise.resolve();
  const audit = () =>
    (queue = queue.then(check).catch((error: Error) => {
      if (!GONE.test(error.message)) report(`accessibility: axe could not check ${page.url()}: ${error.message}`);
    }));

  page.on("load", () => void audit());
  page.on("requestfinished", (request) => {
    if (request.headers()["hx-request"] === "true") void audit();
  });

  const close = context.close.bind(context);
  context.close = async (options) => {
    await audit();
    await close(options);
    if (found.size > 0) throw new Error(`Accessibility problems (serious or critical):\n${[...found].join("\n")}`);
  };
}
