// A space's billing page: its plan and what it allows, the plans to move to, its paid modules, its invoices, and
// the way to Stripe's Customer Portal. Every change goes through Stripe (a form post that leads there, or a plan
// change); the region re-fetches itself when Stripe's webhook says something changed (hx-trigger="sse:billing").
// The forms that lead to Stripe are boosted on purpose: htmx follows the answer's HX-Redirect itself, which no
// page's CSP form-action can stop — a billing page reached by a boosted link keeps the CSP of the page before it.
// A plain post (no JavaScript) comes from a page loaded whole, whose own CSP allows Stripe's origins.
import { DataTable } from "../components/DataTable";
import { FormMessage } from "../components/Field";

export const BILLING_LIVE_EVENT = "billing";

export interface PlanChoice {
  id: string;
  name: string;
  price: string;
  limits: string;
  current: boolean;
}

export interface PaidModuleRow {
  moduleId: string;
  name: string;
  href: string;
  price: string;
  state: "active" | "grace" | "ending" | "none";
  endsAt: string | null;
}

export interface InvoiceRow {
  number: string;
  date: string;
  total: string;
  status: string;
  hostedUrl: string | null;
  pdfUrl: string | null;
}

export interface BillingView {
  path: string;
  spaceName: string;
  /** Stripe is configured here. */
  enabled: boolean;
  mayPay: boolean;
  plan: { name: string; limits: string; seatsUsed: number; seats: number; paid: boolean; moduleApiCalls: number };
  /** Banners, most urgent first. */
  banners: { kind: "error" | "success"; text: string; link?: { href: string; label: string } }[];
  choices: PlanChoice[];
  /** The space already pays for a plan: choosing another changes it (prorated) instead of a new checkout. */
  changeInsteadOfCheckout: boolean;
  modules: PaidModuleRow[];
  invoices: InvoiceRow[];
  hasCustomer: boolean;
  /** A fresh id for each form's attempt (the same attempt twice opens the same Checkout). */
  attempt: string;
  message: string | null;
  error: string | null;
}

export function BillingPage(props: { view: BillingView }) {
  return (
    <section class="page billing-page">
      <h1>Billing · {props.view.spaceName}</h1>
      <BillingState view={props.view} />
    </section>
  );
}

export function BillingState(props: { view: BillingView }) {
  const v = props.view;
  return (
    <div id="billing-state" class="billing-state" hx-get={v.path} hx-trigger={`sse:${BILLING_LIVE_EVENT}`} hx-target="this" hx-swap="outerHTML">
      <FormMessage kind="success" message={v.message} />
      <FormMessage kind="error" message={v.error} />
      {v.banners.map((b) => (
        <p class={`form-message ${b.kind} billing-banner`} role={b.kind === "error" ? "alert" : "status"}>
          {b.text}
          {b.link ? (
            <>
              {" "}
              <a href={b.link.href} rel="noopener noreferrer">
                {b.link.label}
              </a>
            </>
          ) : null}
        </p>
      ))}
      {!v.enabled ? <p class="form-message success">Billing is not set up here: every space has its free plan.</p> : null}
      <article class="card billing-plan">
        <h2>Plan: {v.plan.name}</h2>
        <p>{v.plan.limits}</p>
        <p class="muted">
          Members: {v.plan.seatsUsed} of {v.plan.seats} · This month, modules made {v.plan.moduleApiCalls.toLocaleString("en")} API calls (100,000 included with a paid plan)
        </p>
      </article>
      {v.enabled && v.mayPay ? <PlanChoices view={v} /> : null}
      {v.modules.length ? <ModuleRows view={v} /> : null}
      {v.mayPay ? <Invoices view={v} /> : null}
      {v.enabled && v.mayPay && v.hasCustomer ? (
        <form method="post" action={`${v.path}/portal`}>
          <button type="submit" class="secondary">
            Manage cards, invoices and cancelling
          </button>
        </form>
      ) : null}
    </div>
  );
}

function Invoices(props: { view: BillingView }) {
  const v = props.view;
  return (
    <>
      <h2>Invoices</h2>
      {v.invoices.length ? (
        <DataTable columns={["Number", "Date", { label: "Total", numeric: true }, "Status", "Documents"]} class="billing-invoices">
          {v.invoices.map((i) => (
            <tr>
              <td>{i.number}</td>
              <td>{i.date}</td>
              <td class="numeric">{i.total}</td>
              <td>{i.status}</td>
              <td>
                {i.hostedUrl ? (
                  <a href={i.hostedUrl} rel="noopener noreferrer">
                    View
                  </a>
                ) : null}{" "}
                {i.pdfUrl ? (
                  <a href={i.pdfUrl} rel="noopener noreferrer">
                    PDF
                  </a>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p class="muted">No invoices yet.</p>
      )}
    </>
  );
}

function PlanChoices(props: { view: BillingView }) {
  const v = props.view;
  return (
    <>
      <h2>{v.changeInsteadOfCheckout ? "Change the plan" : "Plans"}</h2>
      <ul class="billing-choices">
        {v.choices.map((choice) => (
          <li class="card">
            <h3>{choice.name}</h3>
            <p>
              <strong>{choice.price}</strong>
            </p>
            <p class="muted">{choice.limits}</p>
            {choice.current ? (
              <p>Your plan</p>
            ) : v.changeInsteadOfCheckout ? (
              <form method="post" action={`${v.path}/plan`}>
                <input type="hidden" name="plan" value={choice.id} />
                <button type="submit">Switch to {choice.name}</button>
              </form>
            ) : (
              <form method="post" action={`${v.path}/checkout`}>
                <input type="hidden" name="plan" value={choice.id} />
                <input type="hidden" name="attempt" value={v.attempt} />
                <button type="submit">Subscribe to {choice.name}</button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function ModuleRows(props: { view: BillingView }) {
  const v = props.view;
  return (
    <>
      <h2>Paid modules</h2>
      <DataTable columns={["Module", "Price", "Subscription"]} class="billing-modules">
        {v.modules.map((m) => (
          <tr>
            <td>
              <a href={m.href} hx-boost="false">
                {m.name}
              </a>
            </td>
            <td>{m.price}</td>
            <td>
              {m.state === "active" ? "Active" : m.state === "grace" ? "Payment failed" : m.state === "ending" ? `Ends on ${m.endsAt}` : null}
              {m.state === "none" && v.enabled && v.mayPay ? (
                <form method="post" action={`${v.path}/checkout`}>
                  <input type="hidden" name="module" value={m.moduleId} />
                  <input type="hidden" name="attempt" value={v.attempt} />
                  <button type="submit">Subscribe to {m.name}</button>
                </form>
              ) : m.state === "none" ? (
                "Not subscribed"
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

export interface ReturnView {
  path: string;
  selfUrl: string;
  spaceName: string;
  /** What was bought, in words. */
  what: string;
  done: boolean;
  next: { href: string; label: string };
}

/** Back from Stripe Checkout: waits, live, for the webhook that makes the subscription ours. */
export function CheckoutReturn(props: { view: ReturnView }) {
  const v = props.view;
  return (
    <section class="page billing-return">
      <h1>Billing · {v.spaceName}</h1>
      <CheckoutReturnState view={v} />
    </section>
  );
}

export function CheckoutReturnState(props: { view: ReturnView }) {
  const v = props.view;
  if (v.done) {
    return (
      <div id="checkout-return" class="card">
        <p class="form-message success" role="status">
          Thank you: {v.what} is active.
        </p>
        <p>
          <a href={v.next.href} hx-boost="false">
            {v.next.label}
          </a>
        </p>
      </div>
    );
  }
  return (
    <div id="checkout-return" class="card" hx-get={v.selfUrl} hx-trigger={`sse:${BILLING_LIVE_EVENT}`} hx-target="this" hx-swap="outerHTML">
      <p role="status">Thank you. Waiting for Stripe to confirm {v.what}…</p>
      <p class="muted">
        This page updates by itself. <a href={v.selfUrl}>Check again</a>
      </p>
    </div>
  );
}
