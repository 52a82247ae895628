import type { Unit } from "../types";

interface UnitSelectProps {
  id: string;
  name: string;
  label: string;
  units: Unit[];
  value: string | null;
  /** The form this control belongs to, when it sits outside it (a table row). */
  form?: string;
  /** Options before the units: [value, label]. */
  leading: [string, string][];
  describedBy?: string;
  invalid?: boolean;
}

/** A select of departments or positions, labelled for screen readers. */
export function UnitSelect(props: UnitSelectProps) {
  return (
    <select
      id={props.id}
      name={props.name}
      form={props.form}
      aria-label={props.label}
      aria-invalid={props.invalid ? "true" : undefined}
      aria-describedby={props.describedBy}
    >
      {props.leading.map(([value, label]) => (
        <option value={value} selected={props.value === value}>
          {label}
        </option>
      ))}
      {props.units.map((unit) => (
        <option value={unit.id} selected={props.value === unit.id}>
          {unit.name}
        </option>
      ))}
    </select>
  );
}
