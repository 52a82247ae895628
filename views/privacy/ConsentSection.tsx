import { FormMessage } from "../components/Field";
import { Time } from "../components/Time";

export interface ConsentItem {
  purpose: string;
  label: string;
  description: string;
  required: boolean;
  granted: boolean;
  version: string | null;
  currentVersion: string;
  at: number | null;
}

export interface ConsentHistoryItem {
  id: number;
  label: string;
  granted: boolean;
  version: string;
  at: number;
  how: string;
}

export interface ConsentSectionProps {
  items: ConsentItem[];
  history: ConsentHistoryItem[];
  saved?: boolean;
  message?: string | null;
}

const HOW: Record<string, string> = { signup: "at sign-up", profile: "in your profile", api: "through the API", "sign-in": "when asked at sign-in" };

/** The profile's consents: the required documents as accepted, the optional purposes as a form, the history. */
export function ConsentSection(props: ConsentSectionProps) {
  const required = props.items.filter((i) => i.required);
  const optional = props.items.filter((i) => !i.required);
  return (
    <section id="consents" class="card">
      <h2>Consents</h2>
      <FormMessage kind="success" message={props.saved ? "Your consents are saved." : null} />
      <FormMessage kind="error" message={props.message} />
      <ul>
        {required.map((item) => (
          <li data-purpose={item.purpose}>
            <a href={item.purpose === "terms" ? "/terms" : "/privacy"}>{item.label}</a>:{" "}
            {item.granted && item.version ? `accepted version ${item.version}` : "not accepted"}
            {item.at !== null ? (
              <>
                {" "}
                on <Time at={item.at} />
              </>
            ) : null}
            {item.version !== item.currentVersion ? ` (version ${item.currentVersion} is in force)` : ""}
          </li>
        ))}
      </ul>
      <p class="muted">These two are what an account is made under: to withdraw them, delete your account.</p>
      <form id="consents-form" class="form" method="post" action="/profile/consents" hx-post="/profile/consents" hx-target="#consents" hx-swap="outerHTML">
        <fieldset class="check-group">
          <legend>Optional — all off until you turn them on</legend>
          {optional.map((item) => (
            <label class="choice" data-purpose={item.purpose}>
              <input type="checkbox" name={item.purpose} value="on" checked={item.granted} /> <span>
                <strong>{item.label}</strong> — {item.description}
              </span>
            </label>
          ))}
        </fieldset>
        <button type="submit" class="button">
          Save consents
        </button>
      </form>
      <details>
        <summary>History ({props.history.length})</summary>
        <table class="consent-history">
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th>Answer</th>
              <th>Version</th>
              <th>Where</th>
            </tr>
          </thead>
          <tbody>
            {props.history.map((row) => (
              <tr data-record={row.id}>
                <td>
                  <Time at={row.at} />
                </td>
                <td>{row.label}</td>
                <td>{row.granted ? "Given" : "Withdrawn"}</td>
                <td>{row.version}</td>
                <td>{HOW[row.how] ?? row.how}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
