import type { InvitationDetails, Refusal } from "../../src/features/invitations/respond";
import { Time } from "../components/Time";

export interface RespondPageProps {
  details: InvitationDetails | null;
  /** Why it cannot be answered (here, by this viewer), or null when Accept and Decline are offered. */
  refusal: Refusal | null;
  viewer: { email: string } | null;
  /** Where the Accept and Decline forms post, and where sign-in should come back to. */
  base: string;
  /** After a decline: the confirmation instead of the buttons. */
  declined?: boolean;
}

const KIND = { business: "", household: "the household " } as const;

function Summary(props: { details: InvitationDetails }) {
  const { details } = props;
  return (
    <dl class="facts invitation-facts">
      <dt>Where</dt>
      <dd>
        {KIND[details.kind]}
        <strong>{details.placeName}</strong>
      </dd>
      <dt>Role</dt>
      <dd>
        {details.role}
        {details.department ? ` · ${details.department}` : ""}
        {details.position ? ` · ${details.position}` : ""}
      </dd>
      <dt>Invited by</dt>
      <dd>{details.invitedBy ?? "someone who has since left"}</dd>
      <dt>For</dt>
      <dd>{details.email}</dd>
    </dl>
  );
}

const CLOSED: Record<Exclude<Refusal, "wrong_account" | "unverified" | "invalid">, { title: string; text: string }> = {
  accepted: { title: "This invitation has been used", text: "It was accepted already; each invitation link works once." },
  declined: { title: "This invitation was declined", text: "It can no longer be accepted. Ask for a new invitation if you changed your mind." },
  revoked: { title: "This invitation was withdrawn", text: "Whoever sent it revoked it. Ask them for a new one if you still want to join." },
  expired: { title: "This invitation has expired", text: "Ask whoever invited you to send it again." },
  full: { title: "No room just now", text: "This place's plan allows no more members at the moment. Let whoever invited you know: once an owner moves to a bigger plan, this invitation works again." },
};

function Body(props: RespondPageProps) {
  const { details, refusal, viewer, base } = props;
  if (!details || refusal === "invalid") {
    return (
      <>
        <h1>This invitation link is not valid</h1>
        <p>It may be mistyped, or a newer invitation replaced it. Ask whoever invited you to send it again.</p>
      </>
    );
  }
  if (props.declined) {
    return (
      <>
        <h1>Invitation declined</h1>
        <p>You declined the invitation to {details.placeName}. Nothing else changes.</p>
      </>
    );
  }
  if (refusal && refusal !== "wrong_account" && refusal !== "unverified") {
    const closed = CLOSED[refusal];
    return (
      <>
        <h1>{closed.title}</h1>
        <Summary details={details} />
        <p>{closed.text}</p>
        {refusal === "expired" ? (
          <p class="muted">
            It expired <Time at={details.expiresAt} />.
          </p>
        ) : null}
      </>
    );
  }
  const heading = <h1>Join {details.placeName}</h1>;
  if (!viewer) {
    const next = encodeURIComponent(base);
    return (
      <>
        {heading}
        <Summary details={details} />
        <p>To accept or decline, sign in with {details.email}, or create an account with that address.</p>
        <p class="home-actions">
          <a class="button primary" href={`/login?next=${next}`}>Sign in</a>
          <a class="button" href={`/register?next=${next}`}>Create account</a>
        </p>
      </>
    );
  }
  if (refusal === "wrong_account") {
    return (
      <>
        {heading}
        <Summary details={details} />
        <p class="form-message error" role="alert">
          This invitation is for {details.email}, but you are signed in as {viewer.email}. Sign out, then sign in with {details.email} and open the link again.
        </p>
      </>
    );
  }
  if (refusal === "unverified") {
    // Nothing of the invitation until the address is proven: anyone can register with any address.
    return (
      <>
        <h1>Confirm your address first</h1>
        <p class="form-message error" role="alert">
          An invitation is waiting for {viewer.email}. Follow the confirmation link we mailed to that address when you created your account (or
          send it again from the banner above), then open this invitation again.
        </p>
      </>
    );
  }
  return (
    <>
      {heading}
      <Summary details={details} />
      <p class="muted">
        The invitation expires <Time at={details.expiresAt} />.
      </p>
      <div class="home-actions">
        <form method="post" action={`${base}/accept`}>
          <button type="submit" class="button primary">Accept</button>
        </form>
        <form method="post" action={`${base}/decline`}>
          <button type="submit" class="button">Decline</button>
        </form>
      </div>
    </>
  );
}

/** An invitation as its invitee sees it: Accept and Decline, or a clear reason why not. */
export function RespondPage(props: RespondPageProps) {
  return (
    <section class="card narrow-page invitation-page">
      <Body {...props} />
    </section>
  );
}
