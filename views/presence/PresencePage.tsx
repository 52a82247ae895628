import { FormMessage } from "../components/Field";
import { Time } from "../components/Time";
import { PresenceDot, presenceLabel } from "./PresenceDot";
import { StatusForm, type StatusFormProps } from "./StatusForm";

export interface PresencePageProps extends Omit<StatusFormProps, "from" | "target" | "back"> {
  userId: string;
  saved?: boolean;
}

/** /presence: the caller's status as others see it, and the form that sets it (what the header menu offers, without JavaScript). */
export function PresencePage(props: PresencePageProps) {
  const { own } = props;
  return (
    <section id="presence-page" class="narrow-page presence-page">
      <h1>Your status</h1>
      <p class="presence-now">
        <PresenceDot userId={props.userId} presence={own} />
        {presenceLabel(own)}
        {own.mode === "dnd" && own.dndUntil !== null ? (
          <span class="muted">
            {" "}
            until <Time at={own.dndUntil} />
          </span>
        ) : null}
      </p>
      <p class="muted">People who share a business or household with you see this beside your name.</p>
      {props.saved ? <FormMessage kind="success" message="Your status is saved." /> : null}
      <div class="card">
        <StatusForm from="page" own={own} back="/presence" target="#presence-page" values={props.values} errors={props.errors} />
      </div>
    </section>
  );
}
