import { Field } from "../../components/Field";
import { membersBase, type MembersPanelProps, type Unit, type UnitKind } from "../types";

const panelTarget = { "hx-target": "#members-panel", "hx-swap": "outerHTML" };
const TITLES: Record<UnitKind, string> = { department: "Departments", position: "Positions" };

/** Departments and positions, for admins: add, rename, delete; errors beside the field that failed. */
export function UnitManager(props: MembersPanelProps) {
  return (
    <section class="members-units" aria-label="Departments and positions">
      <UnitList {...props} kind="department" units={props.departments} />
      <UnitList {...props} kind="position" units={props.positions} />
    </section>
  );
}

function UnitList(props: MembersPanelProps & { kind: UnitKind; units: Unit[] }) {
  const { kind } = props;
  const base = `${membersBase(props.businessId)}/units/${kind}`;
  const failed = props.unitError?.kind === kind ? props.unitError : null;
  const addFailed = failed && failed.unitId === null ? failed : null;
  return (
    <div class="members-unit-list card">
      <h3 id={`units-${kind}-title`}>{TITLES[kind]}</h3>
      {props.units.length ? (
        <ul aria-labelledby={`units-${kind}-title`}>
          {props.units.map((unit) => {
            const mine = failed?.unitId === unit.id ? failed : null;
            const id = `unit-${unit.id}-name`;
            const errors = mine?.errors.name ?? mine?.errors._form ?? [];
            return (
              <li class={errors.length ? "has-error" : undefined}>
                <form class="members-unit-row" method="post" action={`${base}/${unit.id}/rename`} hx-post={`${base}/${unit.id}/rename`} {...panelTarget}>
                  <label class="members-sr" for={id}>
                    Name of the {kind} {unit.name}
                  </label>
                  <input id={id} name="name" value={mine ? mine.value : unit.name} maxlength={80} required aria-invalid={errors.length ? "true" : undefined} aria-describedby={errors.length ? `${id}-error` : undefined} />
                  <button type="submit" class="button small">Rename</button>
                </form>
                <form class="members-unit-delete" method="post" action={`${base}/${unit.id}/delete`} hx-post={`${base}/${unit.id}/delete`} {...panelTarget}>
                  <button type="submit" class="button small danger">Delete<span class="members-sr"> {unit.name}</span></button>
                </form>
                {errors.length ? (
                  <p class="field-error" id={`${id}-error`}>
                    {errors.join(" ")}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p class="muted">No {TITLES[kind].toLowerCase()} yet.</p>
      )}
      <form class="form members-unit-add" method="post" action={base} hx-post={base} {...panelTarget} novalidate>
        <Field form={`unit-${kind}-new`} name="name" label={`New ${kind}`} value={addFailed?.value ?? ""} errors={addFailed?.errors} />
        <button type="submit" class="button small">Add {kind}</button>
      </form>
    </div>
  );
}
