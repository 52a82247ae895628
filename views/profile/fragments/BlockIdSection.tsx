import type { BlockIdSectionData, LocationSource, Place } from "../../../src/features/location";
import { BlockId } from "../../components/BlockId";
import { FormMessage, type FieldErrors } from "../../components/Field";
import { Time } from "../../components/Time";
import { LocationPickers } from "../../location/LocationPickers";

/** Where a Block ID's location came from, in words ("Where it came from: …"). */
export const SOURCE_WORDS: Record<LocationSource, string> = {
  picked: "picked at sign-up",
  edge: "from your network (edge)",
  geolocation: "from the geolocation service",
  default: "the default country",
  admin: "set by an admin",
  user: "chosen by you",
};

export interface BlockIdSectionProps extends BlockIdSectionData {
  errors?: FieldErrors;
  /** A message for the whole form: a refusal (rate limited) or what just happened. */
  message?: { kind: "error" | "success"; text: string } | null;
  /** The town was just changed: say so, with the new and the old number. */
  moved?: boolean;
}

const placeText = (place: Place | null) => (place ? `${place.town.name}, ${place.region.name}, ${place.country.name}` : "an unknown place");

/** The profile's Block ID: the number with its copy button, its place and source, the town form and the history. */
export function BlockIdSection(props: BlockIdSectionProps) {
  const { current } = props;
  const before = props.previous[0];
  const movedText = props.moved && current ? `Your new Block ID is ${current.value}${before ? `; the old one ${before.value} is kept in your history` : ""}.` : null;
  const message = props.message ?? (movedText ? { kind: "success" as const, text: movedText } : null);
  return (
    <section id="block-id-section" class="card block-id-section" aria-labelledby="block-id-heading">
      <h2 id="block-id-heading">Block ID</h2>
      {current ? (
        <dl class="facts block-id-facts">
          <dt>Your Block ID</dt>
          <dd class="block-id-current">
            <BlockId value={current.value} />
          </dd>
          <dt>Place</dt>
          <dd class="block-id-place">{placeText(current.place)}</dd>
          <dt>Where it came from</dt>
          <dd class="block-id-source">{SOURCE_WORDS[current.source]}</dd>
        </dl>
      ) : (
        <p class="muted">You have no Block ID yet.</p>
      )}
      {props.unassigned ? (
        <p class="block-id-unassigned">
          Your town is not known yet, so your Block ID is an “Unassigned” one. Choose your town below to get a Block ID for it.
        </p>
      ) : null}
      <form id="location-form" class="form" method="post" action="/profile/location" hx-post="/profile/location" hx-target="#block-id-section" hx-swap="outerHTML" novalidate>
        <h3>Change your town</h3>
        <FormMessage kind={message?.kind ?? "success"} message={message?.text} />
        <LocationPickers
          options={props.options}
          form="location"
          legend="Your town"
          hint={`A new town gives you a new Block ID; the old one stays in your history. You can change your town ${props.limit.moves} times in ${props.limit.days} days.`}
          errors={props.errors}
        />
        {props.errors?._form?.length ? <FormMessage kind="error" message={props.errors._form.join(" ")} /> : null}
        <button type="submit" class="button">Change town</button>
      </form>
      {props.previous.length ? (
        <div class="block-id-history">
          <h3>Your earlier Block IDs</h3>
          <ul>
            {props.previous.map((entry) => (
              <li data-block-id={entry.value}>
                <code class="block-id-value">{entry.value}</code> <span class="muted">· {placeText(entry.place)} · {SOURCE_WORDS[entry.source]} · until <Time at={entry.retiredAt ?? entry.issuedAt} /></span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
