import type { Dashboard } from "../../src/features/admin/dashboard";
import { BarChart } from "../components/BarChart";
import { AdminLayout } from "./AdminLayout";
import { AuditTable } from "./fragments/AuditTable";

function Stat(props: { label: string; value: number; href?: string }) {
  return (
    <div class="card stat">
      <dt>{props.href ? <a href={props.href}>{props.label}</a> : props.label}</dt>
      <dd data-stat={props.label.toLowerCase()}>{props.value.toLocaleString("en")}</dd>
    </div>
  );
}

export function DashboardPage(props: Dashboard) {
  const ok = props.database === "ok";
  return (
    <AdminLayout section="dashboard" title="Admin dashboard">
      <dl class="stat-grid">
        <Stat label="Users" value={props.counts.users} href="/admin-portal/users" />
        <Stat label="Businesses" value={props.counts.businesses} href="/admin-portal/businesses" />
        <Stat label="Households" value={props.counts.households} />
        <div class="card stat">
          <dt>Database</dt>
          <dd class={ok ? "health ok" : "health bad"} data-stat="database">
            {ok ? "OK" : "Unreachable"}
          </dd>
        </div>
      </dl>
      <section class="card" aria-labelledby="signups-heading">
        <h2 id="signups-heading">Sign-ups, last 30 days</h2>
        <BarChart
          id="signups-chart"
          title="Sign-ups per day (UTC)"
          unit="sign-ups"
          labelHeading="Day"
          data={props.signups.map((d) => ({ label: d.day, value: d.count }))}
        />
      </section>
      <section class="card results" aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent audit events</h2>
        {props.recent.length ? <AuditTable rows={props.recent} caption="The 10 most recent audit events" /> : <p class="muted">No audit events yet.</p>}
        <p>
          <a href="/admin-portal/audit">The whole audit log</a>
        </p>
      </section>
    </AdminLayout>
  );
}
