import { Field, FormMessage, type FieldErrors } from "../components/Field";

/** A business or household that keeps the account from being deleted (the person is its last owner). */
export interface DeletionBlockView {
  kind: "business" | "household";
  id: string;
  name: string;
  why: string;
  url: string;
}

/**
 * "Delete my account" on the profile: the password again (or, without one, a recent sign-in), the
 * grace period said up front, and — when refused — each business or household to hand over first.
 * A plain form; htmx swaps the section in place on a refusal.
 */
export function DeletionSection(props: { hasPassword: boolean; graceDays: number; errors?: FieldErrors; message?: string | null; blocks?: DeletionBlockView[] }) {
  const when = props.graceDays === 0 ? "within a minute" : `after ${props.graceDays} days`;
  return (
    <form id="delete-account" class="card form" method="post" action="/profile/deletion" hx-post="/profile/deletion" hx-target="this" hx-swap="outerHTML" novalidate>
      <h2>Delete my account</h2>
      <p>
        Your account is disabled at once and every session signed out; it is erased {when}. Until then, signing in offers to cancel. Messages you sent in shared
        conversations stay, shown as from a deleted user.
      </p>
      <FormMessage kind="error" message={props.message} />
      {props.blocks?.length ? (
        <ul class="deletion-blocks">
          {props.blocks.map((block) => (
            <li>
              <a href={block.url}>{block.name}</a> ({block.kind}): {block.why}
            </li>
          ))}
        </ul>
      ) : null}
      {props.hasPassword ? (
        <Field form="delete-account" name="password" type="password" label="Your password" autocomplete="current-password" errors={props.errors} />
      ) : (
        <p>Your account has no password: sign in again with your provider first, then delete within 10 minutes.</p>
      )}
      <label>
        <input type="checkbox" name="confirm" value="yes" required /> I understand my account and its data will be erased.
      </label>
      <button type="submit" class="button danger">
        Delete my account
      </button>
    </form>
  );
}

/** After the request: signed out, with the date and the way back. */
export function DeletionScheduledPage(props: { eraseAfter: string | null }) {
  return (
    <section class="auth-page">
      <h1>Your account is scheduled for deletion</h1>
      <div class="card">
        <p role="status">
          You are signed out everywhere. Your account will be erased {props.eraseAfter ? <>on <strong>{props.eraseAfter}</strong></> : "soon"}.
        </p>
        <p>
          Changed your mind? <a href="/login">Sign in</a> before then and choose "Cancel the deletion and sign in".
        </p>
      </div>
    </section>
  );
}

/** The grace period's sign-in: cancel and sign in, or keep it scheduled. */
export function DeletionOfferPage(props: { eraseAfter: string }) {
  return (
    <section class="auth-page">
      <h1>Account scheduled for deletion</h1>
      <div class="card">
        <p>
          Your account is scheduled for deletion on <strong>{props.eraseAfter}</strong>.
        </p>
        <form method="post" action="/account/deletion/cancel" class="form">
          <button type="submit" class="button primary">
            Cancel the deletion and sign in
          </button>
        </form>
        <form method="post" action="/account/deletion/keep" class="form">
          <button type="submit" class="button">
            Keep it scheduled
          </button>
        </form>
      </div>
    </section>
  );
}
