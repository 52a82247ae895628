import type { AdminRegion, TownEntry } from "../../../../src/features/location";
import { DataTable } from "../../../components/DataTable";
import { Field, FormMessage } from "../../../components/Field";
import { placesBase, type Notice, type PlaceFailure, type PlaceForm } from "../types";

export interface RegionCardProps {
  countryId: string;
  region: AdminRegion;
  notice?: Notice;
  failure?: PlaceFailure | null;
}

const COUNTRY_TARGET = { "hx-target": "#country-places", "hx-swap": "outerHTML" };

/** One region: its name and code, its towns, and the forms that change them; each swaps this card with htmx. */
export function RegionCard(props: RegionCardProps) {
  const { region } = props;
  const base = placesBase(props.countryId);
  const id = `region-${region.id}`;
  const swap = { "hx-target": `#${id}`, "hx-swap": "outerHTML" };
  const failed = (form: PlaceForm) => (props.failure?.form === form ? props.failure : null);
  const rename = failed(`rename-region:${region.id}`);
  const removal = failed(`delete-region:${region.id}`);
  const alert = rename?.message ?? removal?.message ?? null;
  const reserved = region.unassigned;
  return (
    <section id={id} class="card places-region" data-region={region.id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        <code>{region.code}</code> {region.name}
        {reserved ? <span class="badge">Reserved</span> : null}
      </h2>
      {props.notice ? (
        <p class="form-message success" role="status">
          {props.notice.text}
        </p>
      ) : null}
      {alert ? (
        <p class="form-message error" role="alert">
          {alert}
        </p>
      ) : null}
      {reserved ? (
        <p class="muted">Holds the users of this country whose region is not known. It cannot be renamed, deleted or given towns.</p>
      ) : (
        <div class="places-actions">
          <form class="places-rename" method="post" action={`${base}/regions/${region.id}/rename`} hx-post={`${base}/regions/${region.id}/rename`} {...swap} novalidate>
            <Field form={`${id}-rename`} name="name" label="Region name" value={rename ? (rename.values.name ?? "") : region.name} errors={rename?.errors} />
            <button type="submit" class="button small">Rename</button>
          </form>
          {region.deletable ? (
            <form method="post" action={`${base}/regions/${region.id}/delete`} hx-post={`${base}/regions/${region.id}/delete`} {...COUNTRY_TARGET} hx-confirm={`Delete the region ${region.name}?`}>
              <button type="submit" class="button small danger">
                Delete region<span class="visually-hidden"> {region.name}</span>
              </button>
            </form>
          ) : (
            <p class="muted">{region.towns.some((town) => !town.unassigned) ? "Delete its towns to delete the region." : "Block IDs were issued here, so the region is kept."}</p>
          )}
        </div>
      )}
      <DataTable columns={["Code", "Town", { label: "Current Block IDs", numeric: true }, "Actions"]} caption={`Towns of ${region.name}`}>
        {region.towns.map((town) => (
          <TownRow town={town} base={base} swap={swap} failure={props.failure ?? null} />
        ))}
      </DataTable>
      {reserved ? null : <AddTownForm region={region} base={base} swap={swap} failure={failed(`add-town:${region.id}`)} />}
    </section>
  );
}

function TownRow(props: { town: TownEntry; base: string; swap: Record<string, string>; failure: PlaceFailure | null }) {
  const { town, base } = props;
  const rename = props.failure?.form === `rename-town:${town.id}` ? props.failure : null;
  const removal = props.failure?.form === `delete-town:${town.id}` ? props.failure : null;
  const inputId = `town-${town.id}-name`;
  const errors = rename?.errors.name ?? [];
  const message = rename?.message ?? removal?.message ?? null;
  const reserved = town.unassigned;
  return (
    <tr id={`town-${town.id}`} data-town={town.id}>
      <th scope="row">
        <code>{town.code}</code>
      </th>
      <td>
        {reserved ? (
          <>
            {town.name}
            <span class="badge">Reserved</span>
          </>
        ) : (
          <form class="places-inline" method="post" action={`${base}/towns/${town.id}/rename`} hx-post={`${base}/towns/${town.id}/rename`} {...props.swap} novalidate>
            <label class="visually-hidden" for={inputId}>
              Name of town {town.code}
            </label>
            <input
              id={inputId}
              name="name"
              value={rename ? (rename.values.name ?? "") : town.name}
              required
              aria-invalid={errors.length ? "true" : undefined}
              aria-describedby={errors.length ? `${inputId}-error` : undefined}
            />
            <button type="submit" class="button small">
              Rename<span class="visually-hidden"> {town.name}</span>
            </button>
          </form>
        )}
        {errors.length ? (
          <p class="field-error" id={`${inputId}-error`}>
            {errors.join(" ")}
          </p>
        ) : null}
      </td>
      <td class="numeric" data-count="block-ids">
        {town.currentBlockIds.toLocaleString("en")}
      </td>
      <td>
        {town.deletable ? (
          <form method="post" action={`${base}/towns/${town.id}/delete`} hx-post={`${base}/towns/${town.id}/delete`} {...props.swap} hx-confirm={`Delete the town ${town.name}?`} class="inline-form">
            <button type="submit" class="button small danger">
              Delete<span class="visually-hidden"> {town.name}</span>
            </button>
          </form>
        ) : (
          <span class="muted">{reserved ? "—" : "Kept: Block IDs were issued here"}</span>
        )}
        {message ? (
          <p class="row-message error" role="alert">
            {message}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

function AddTownForm(props: { region: AdminRegion; base: string; swap: Record<string, string>; failure: PlaceFailure | null }) {
  const { region, failure } = props;
  const action = `${props.base}/regions/${region.id}/towns`;
  const form = `region-${region.id}-town`;
  return (
    <form class="form places-add" method="post" action={action} hx-post={action} {...props.swap} novalidate>
      <h3>Add a town to {region.name}</h3>
      <FormMessage kind="error" message={failure?.message} />
      <div class="places-fields">
        <Field form={form} name="code" label="Code" hint="Three digits, like 012; fixed once created." value={failure?.values.code ?? ""} errors={failure?.errors} />
        <Field form={form} name="name" label="Name" value={failure?.values.name ?? ""} errors={failure?.errors} />
      </div>
      <button type="submit" class="button small">Add town</button>
    </form>
  );
}
