import type { FieldErrors } from "../components/Field";
import { Time } from "../components/Time";
import type { OwnStatus } from "../../src/features/presence/service";

export type { OwnStatus };

const MODES: { value: OwnStatus["mode"]; label: string }[] = [
  { value: "auto", label: "Automatic (online while you use the app)" },
  { value: "away", label: "Appear away" },
  { value: "dnd", label: "Do not disturb" },
];

/** How long "do not disturb" lasts, in minutes; "" until turned off, "keep" the end already set. */
export const DND_CHOICES: [string, string][] = [
  ["", "Until I turn it off"],
  ["30", "30 minutes"],
  ["60", "1 hour"],
  ["120", "2 hours"],
  ["240", "4 hours"],
  ["480", "8 hours"],
  ["1440", "24 hours"],
];

export interface StatusFormProps {
  /** Which form this is: "menu" (the header's) or "page" (/presence); also the prefix of its ids. */
  from: "menu" | "page";
  own: OwnStatus;
  /** Where a plain (no-JS) post returns to. */
  back: string;
  /** What htmx replaces with the answer. */
  target: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
}

/** Sets the caller's status: automatic, appear away or do not disturb (for a while), and a short text. */
export function StatusForm(props: StatusFormProps) {
  const { own, from } = props;
  const id = (name: string) => `status-${from}-${name}`;
  const mode = props.values?.status ?? own.mode;
  const text = props.values?.text ?? own.text;
  const dndFor = props.values?.dndFor ?? (own.dndUntil !== null ? "keep" : "");
  const textErrors = props.errors?.text ?? [];
  const formErrors = [...(props.errors?._form ?? []), ...(props.errors?.status ?? []), ...(props.errors?.dndFor ?? [])];
  return (
    <form id={id("form")} class="status-form" method="post" action="/presence/status" hx-post="/presence/status" hx-target={props.target} hx-swap="outerHTML" novalidate>
      <input type="hidden" name="from" value={from} />
      <input type="hidden" name="back" value={props.back} />
      {formErrors.length ? (
        <p class="form-message error" role="alert">
          {formErrors.join(" ")}
        </p>
      ) : null}
      <fieldset class="status-modes">
        <legend>Status</legend>
        {MODES.map((choice) => (
          <label class="status-mode">
            <input type="radio" name="status" value={choice.value} checked={mode === choice.value} />
            {choice.label}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={id("dndFor")}>Do not disturb for</label>
        <select id={id("dndFor")} name="dndFor">
          {own.dndUntil !== null ? (
            <option value="keep" selected={dndFor === "keep"}>
              As set (until <Time at={own.dndUntil} />)
            </option>
          ) : null}
          {DND_CHOICES.map(([value, label]) => (
            <option value={value} selected={dndFor === value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class={textErrors.length ? "field has-error" : "field"}>
        <label for={id("text")}>Status text</label>
        <input
          id={id("text")}
          name="text"
          type="text"
          value={text}
          maxlength={100}
          placeholder="In a meeting"
          autocomplete="off"
          aria-invalid={textErrors.length ? "true" : undefined}
          aria-describedby={textErrors.length ? id("text-error") : undefined}
        />
        {textErrors.length ? (
          <p class="field-error" id={id("text-error")}>
            {textErrors.join(" ")}
          </p>
        ) : null}
      </div>
      <button type="submit" class="button primary small">Save status</button>
    </form>
  );
}
