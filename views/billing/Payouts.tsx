// A module developer's payouts page (/developers/payouts): the Stripe Connect account and its onboarding, earnings
// per currency from the ledger, the transfers made or waiting, and the CSV of every ledger entry; and the admin
// portal's revenue page, the platform's share per month.
import { DataTable } from "../components/DataTable";
import { AdminLayout } from "../admin/AdminLayout";
import { BarChart } from "../components/BarChart";
import { FormMessage } from "../components/Field";

export interface PayoutsView {
  account: "none" | "incomplete" | "ready";
  earnings: { currency: string; earned: string; transferred: string; pending: string }[];
  transfers: { date: string; invoice: string; amount: string; state: string; reference: string | null }[];
  message: string | null;
  error: string | null;
}

export function PayoutsPage(props: { view: PayoutsView }) {
  const v = props.view;
  return (
    <section class="page payouts-page">
      <p>
        <a href="/developers">Developer portal</a>
      </p>
      <h1>Earnings and payouts</h1>
      <FormMessage kind="success" message={v.message} />
      <FormMessage kind="error" message={v.error} />
      <p>You get 70% of what Stripe collects for your modules, after Stripe's fee (rounded down to the cent; the platform keeps the rest). Refunds are taken back the same way.</p>
      <article class="card">
        <h2>Stripe account</h2>
        {v.account === "ready" ? (
          <p>Your Stripe account is ready: earnings are transferred to it as invoices are paid.</p>
        ) : (
          <>
            <p>{v.account === "none" ? "Connect a Stripe account to be paid." : "Your Stripe account needs a few more details before it can be paid."} Earnings wait for it.</p>
            <form method="post" action="/developers/payouts/onboard">
              <button type="submit">{v.account === "none" ? "Get paid with Stripe" : "Finish with Stripe"}</button>
            </form>
          </>
        )}
      </article>
      <h2>Earnings</h2>
      {v.earnings.length ? (
        <DataTable columns={["Currency", { label: "Earned", numeric: true }, { label: "Transferred", numeric: true }, { label: "Pending", numeric: true }]} class="payout-earnings">
          {v.earnings.map((e) => (
            <tr>
              <td>{e.currency.toUpperCase()}</td>
              <td class="numeric">{e.earned}</td>
              <td class="numeric">{e.transferred}</td>
              <td class="numeric">{e.pending}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p class="muted">Nothing yet: earnings appear when a space pays for one of your modules.</p>
      )}
      <p>
        <a href="/developers/payouts.csv" download>
          Download every ledger entry (CSV)
        </a>
      </p>
      <h2>Transfers</h2>
      {v.transfers.length ? (
        <DataTable columns={["Date", "Invoice", { label: "Amount", numeric: true }, "State", "Stripe transfer"]} class="payout-transfers">
          {v.transfers.map((t) => (
            <tr>
              <td>{t.date}</td>
              <td>{t.invoice}</td>
              <td class="numeric">{t.amount}</td>
              <td>{t.state}</td>
              <td>{t.reference ?? "—"}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p class="muted">No transfers yet.</p>
      )}
    </section>
  );
}

export function RevenuePage(props: { charts: { currency: string; data: { label: string; value: number }[] }[] }) {
  return (
    <AdminLayout section="revenue" title="Platform revenue">
      <p>The platform's share of what Stripe collected (plans in full, 30% of module sales), less refunds, per month, in whole units of each currency.</p>
      {props.charts.length ? (
        props.charts.map((chart) => <BarChart id={`revenue-${chart.currency}`} title={`Platform revenue per month (${chart.currency.toUpperCase()})`} data={chart.data} unit={chart.currency.toUpperCase()} labelHeading="Month" />)
      ) : (
        <p class="muted">No revenue yet.</p>
      )}
    </AdminLayout>
  );
}
