import type { FieldErrors } from "../components/Field";
import { AcceptTermsField } from "./AcceptTermsField";

export interface AcceptTermsPageProps {
  /** The documents to accept, as `{ label, version }`; those accepted before at an older version say so. */
  documents: { label: string; version: string; previous: string | null }[];
  terms: string;
  privacy: string;
  /** Where to go after (a path on this site; checked again on the server). */
  next: string;
  errors?: FieldErrors;
}

/** Shown after signing in (and on any page) until the terms and privacy notice in force are accepted. */
export function AcceptTermsPage(props: AcceptTermsPageProps) {
  const updated = props.documents.some((d) => d.previous !== null);
  return (
    <section class="narrow-page" id="accept-terms">
      <h1>{updated ? "Our terms have changed" : "Before you start"}</h1>
      <ul>
        {props.documents.map((d) => (
          <li>
            {d.label}: version {d.version}
            {d.previous ? ` (you accepted ${d.previous})` : ""}
          </li>
        ))}
      </ul>
      <form id="accept-form" class="card form" method="post" action="/consents/accept" novalidate>
        <input type="hidden" name="next" value={props.next} />
        <AcceptTermsField form="accept" errors={props.errors} terms={props.terms} privacy={props.privacy} />
        <button type="submit" class="button primary">
          Accept and continue
        </button>
      </form>
      <p class="muted">
        Do not accept? Your account stays as it is: you can still <a href="/profile">download your data or delete your account</a> from your profile, or
      </p>
      <form method="post" action="/logout">
        <button type="submit" class="button">
          Sign out
        </button>
      </form>
    </section>
  );
}
