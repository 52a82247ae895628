/** The page behind a confirmation link: a button that confirms (mail scanners follow links, never buttons). */
export function VerifyEmailPage(props: { action: string; email: string | null; purpose?: "signup" | "change" }) {
  return (
    <section class="auth-page">
      <h1>Confirm your email address</h1>
      {props.email ? (
        <form class="card form" method="post" action={props.action}>
          <p>
            {props.purpose === "change" ? "Make this the address of your account: " : "Confirm that this address is yours: "}
            <strong>{props.email}</strong>
          </p>
          <button type="submit" class="button primary">
            Confirm
          </button>
        </form>
      ) : (
        <div class="card">
          <p class="form-message error" role="alert">
            This link has expired or was already used.
          </p>
          <p>Sign in to ask for a new one.</p>
        </div>
      )}
    </section>
  );
}

export function EmailConfirmedPage(props: { email: string; signedIn: boolean }) {
  return (
    <section class="auth-page">
      <h1>Address confirmed</h1>
      <div class="card">
        <p role="status">
          <strong>{props.email}</strong> is confirmed.
        </p>
        <p>{props.signedIn ? <a href="/home">Continue</a> : <a href="/login">Sign in</a>}</p>
      </div>
    </section>
  );
}

/** Shown on every page while the account's address is not confirmed, with a way to get the link again. */
export function VerifyBanner(props: { email: string; sent?: boolean; message?: string | null }) {
  return (
    <div id="verify-banner" class="banner" role="status">
      {props.sent ? (
        <p>A new link is on its way to {props.email}.</p>
      ) : (
        <>
          <p>
            Confirm your address: follow the link we sent to {props.email}. Until then, invitations to it wait and others cannot find you by it.
          </p>
          {props.message ? <p class="form-message error">{props.message}</p> : null}
          <form method="post" action="/verify-email/resend" hx-post="/verify-email/resend" hx-target="#verify-banner" hx-swap="outerHTML" class="inline-form">
            <button type="submit" class="button small">
              Send the link again
            </button>
          </form>
        </>
      )}
    </div>
  );
}
