// The developer portal: become a developer, make a module, submit a version by its hosted address, see each
// version's review, installs over time, and every webhook delivery with the answer the module's server gave.
import { DataTable } from "../components/DataTable";
import { BarChart, type BarDatum } from "../components/BarChart";
import { Field, FormMessage, type FieldErrors } from "../components/Field";

type Errors = FieldErrors;

function Errors(props: { errors?: Errors; name: string; id: string }) {
  const list = props.errors?.[props.name] ?? [];
  return list.length ? (
    <p class="field-error" id={props.id}>
      {list.join(" ")}
    </p>
  ) : null;
}

function Checks(props: { form: string; name: string; legend: string; options: readonly string[]; checked: readonly string[]; errors?: Errors; errorKey?: string }) {
  const errorKeys = Object.keys(props.errors ?? {}).filter((k) => k === (props.errorKey ?? props.name) || k.startsWith(`${props.errorKey ?? props.name}.`));
  return (
    <fieldset class={errorKeys.length ? "field has-error" : "field"}>
      <legend>{props.legend}</legend>
      {props.options.map((option) => (
        <label class="check">
          <input type="checkbox" name={props.name} value={option} checked={props.checked.includes(option)} /> {option}
        </label>
      ))}
      {errorKeys.map((k) => (
        <Errors errors={props.errors} name={k} id={`${props.form}-${k}-error`} />
      ))}
    </fieldset>
  );
}

export interface PortalModule {
  id: string;
  name: string;
  slug: string;
  status: string;
  latest: { version: string; state: string } | null;
}

export interface NewModuleForm {
  values: Record<string, string>;
  contexts: string[];
  errors?: Errors;
}

export function DeveloperHome(props: { developer: boolean; modules: PortalModule[]; categories: readonly string[]; form: NewModuleForm; message?: string | null }) {
  if (!props.developer) {
    return (
      <section class="developers">
        <h1>Build modules for Block on Block</h1>
        <p>Modules are web apps on your own server, shown in a tab of a personal space, a business or a household, with short-lived tokens for exactly the access people grant. Read docs/modules.md, then:</p>
        <form method="post" action="/developers/join">
          <button type="submit">Become a developer</button>
        </form>
      </section>
    );
  }
  const f = props.form;
  return (
    <section class="developers">
      <h1>Your modules</h1>
      <p>
        <a href="/developers/payouts">Earnings and payouts</a>
      </p>
      <FormMessage kind="success" message={props.message} />
      {props.modules.length ? (
        <DataTable columns={["Module", "Newest version", "Status"]}>
          {props.modules.map((m) => (
            <tr>
              <td>
                <a href={`/developers/modules/${m.id}`}>{m.name}</a> <span class="muted">{m.slug}</span>
              </td>
              <td>{m.latest ? `${m.latest.version} (${m.latest.state})` : "none submitted"}</td>
              <td>{m.status}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p class="muted">No modules yet.</p>
      )}
      <h2>New module</h2>
      <form method="post" action="/developers/modules" class="stacked-form">
        <FormMessage kind="error" message={f.errors?._form?.join(" ")} />
        <Field form="nm" name="slug" label="Slug" value={f.values.slug} hint="3–40 lower-case letters, digits and hyphens; it is the module's address in the marketplace." errors={f.errors} />
        <Field form="nm" name="name" label="Name" value={f.values.name} errors={f.errors} />
        <Field form="nm" name="description" label="Description" value={f.values.description} errors={f.errors} />
        <Field form="nm" name="icon" label="Icon (an emoji or two letters)" value={f.values.icon} errors={f.errors} required={false} />
        <div class={f.errors?.category ? "field has-error" : "field"}>
          <label for="nm-category">Category</label>
          <select id="nm-category" name="category">
            {props.categories.map((c) => (
              <option value={c} selected={c === f.values.category}>
                {c}
              </option>
            ))}
          </select>
          <Errors errors={f.errors} name="category" id="nm-category-error" />
        </div>
        <Checks form="nm" name="contexts" legend="Made for" options={["personal", "business", "household"]} checked={f.contexts} errors={f.errors} />
        <button type="submit">Create module</button>
      </form>
    </section>
  );
}

export interface VersionRow {
  version: string;
  state: string;
  entryUrl: string;
  scopes: string[];
  rejectedReason: string | null;
  submittedAt: string;
}

export interface DeliveryRow {
  id: string;
  event: string;
  state: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastResponse: string | null;
  createdAt: string;
}

export interface VersionForm {
  values: Record<string, string>;
  scopes: string[];
  bridge: string[];
  errors?: Errors;
}

export interface DeveloperModuleProps {
  module: { id: string; name: string; slug: string; status: string; suspendedReason: string | null };
  webhookSecret: string;
  installs: number;
  installsByDay: BarDatum[];
  versions: VersionRow[];
  deliveries: DeliveryRow[];
  form: VersionForm;
  scopeOptions: readonly string[];
  bridgeOptions: readonly string[];
  message?: string | null;
}

export function DeveloperModule(props: DeveloperModuleProps) {
  const m = props.module;
  const f = props.form;
  return (
    <section class="developers">
      <p>
        <a href="/developers">← Your modules</a>
      </p>
      <h1>{m.name}</h1>
      <FormMessage kind="success" message={props.message} />
      {m.status === "suspended" ? (
        <p class="form-message error" role="alert">
          Suspended: {m.suspendedReason}
        </p>
      ) : null}
      <p>
        In the marketplace as <a href={`/marketplace/${m.slug}`}>/marketplace/{m.slug}</a> once a version is approved. Installed in {props.installs} {props.installs === 1 ? "space" : "spaces"}.
      </p>
      <details>
        <summary>Webhook signing secret</summary>
        <p>
          <code>{props.webhookSecret}</code>
        </p>
        <p class="muted">Check BoB-Signature with it (docs/modules.md). Keep it on your server only.</p>
      </details>
      <BarChart id="installs" title="New installs per day, last 30 days" data={props.installsByDay} unit="installs" labelHeading="Day" />
      <h2>Versions</h2>
      {props.versions.length ? (
        <DataTable columns={["Version", "Review", "Entry", "Scopes"]}>
          {props.versions.map((v) => (
            <tr>
              <td>{v.version}</td>
              <td>
                {v.state}
                {v.rejectedReason ? <span class="muted"> — {v.rejectedReason}</span> : null}
              </td>
              <td>
                <code>{v.entryUrl}</code>
              </td>
              <td>{v.scopes.join(", ") || "none"}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p class="muted">No versions yet.</p>
      )}
      <h2>Submit a version</h2>
      <form method="post" action={`/developers/modules/${m.id}/versions`} class="stacked-form">
        <FormMessage kind="error" message={f.errors?._form?.join(" ")} />
        <Field form="nv" name="version" label="Version" value={f.values.version} hint="MAJOR.MINOR.PATCH, above the last one." errors={f.errors} />
        <Field form="nv" name="manifest.entryUrl" label="Entry address" value={f.values["manifest.entryUrl"]} hint="https:// on your server (http://localhost while developing)." errors={f.errors} />
        <Checks form="nv" name="scopes" errorKey="manifest.scopes" legend="Scopes it asks for" options={props.scopeOptions} checked={f.scopes} errors={f.errors} />
        <Checks form="nv" name="bridge" errorKey="manifest.bridge" legend="Bridge actions it uses" options={props.bridgeOptions} checked={f.bridge} errors={f.errors} />
        <Field form="nv" name="manifest.webhookUrl" label="Webhook address (optional)" value={f.values["manifest.webhookUrl"]} errors={f.errors} required={false} />
        <div class="field">
          <label for="nv-pricing">Price</label>
          <select id="nv-pricing" name="pricing">
            {[
              ["free", "Free"],
              ["per_context", "Monthly, per space"],
              ["per_seat", "Monthly, per member"],
            ].map(([value, label]) => (
              <option value={value} selected={value === (f.values.pricing ?? "free")}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <Field form="nv" name="manifest.pricing.monthlyAmount" label="Monthly amount (e.g. 4.99)" value={f.values["manifest.pricing.monthlyAmount"]} errors={f.errors} required={false} />
        <div class="field">
          <label for="nv-currency">Currency</label>
          <select id="nv-currency" name="currency">
            {["usd", "eur", "gbp"].map((c) => (
              <option value={c} selected={c === (f.values.currency ?? "usd")}>
                {c.toUpperCase()}
              </option>
            ))}
          </select>
          <Errors errors={f.errors} name="manifest.pricing.currency" id="nv-currency-error" />
        </div>
        <button type="submit">Submit for review</button>
      </form>
      <h2>Webhook deliveries</h2>
      {props.deliveries.length ? (
        <DataTable columns={["When", "Event", "State", "Attempts", "Last answer"]}>
          {props.deliveries.map((d) => (
            <tr>
              <td>{d.createdAt.replace("T", " ").slice(0, 16)}</td>
              <td>{d.event}</td>
              <td>{d.state}</td>
              <td>{d.attempts}</td>
              <td>
                {d.lastStatus ?? "—"} {d.lastError ? <span class="muted">{d.lastError}</span> : null} {d.lastResponse ? <code>{d.lastResponse}</code> : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p class="muted">None yet. Deliveries appear here when your module is installed, uninstalled or its scopes change.</p>
      )}
    </section>
  );
}
