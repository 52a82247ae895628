import { FormMessage } from "../../../components/Field";

/** Owners decide whether every member must sign in with two factors to open this business. */
export function TwoFactorPolicyForm(props: { businessId: string; required: boolean; canChange: boolean; saved?: boolean; error?: string | null }) {
  const action = `/business/${props.businessId}/settings/two-factor`;
  return (
    <form id="two-factor-policy" class="card form" method="post" action={action} hx-post={action} hx-target="this" hx-swap="outerHTML">
      <h3>Two-factor sign-in</h3>
      <FormMessage kind="success" message={props.saved ? "Saved." : null} />
      <FormMessage kind="error" message={props.error} />
      <p>{props.required ? "Every member must have signed in with two factors to open this business." : "Members may open this business with a password alone."}</p>
      {props.canChange ? (
        <>
          <input type="hidden" name="requireTwoFactor" value={props.required ? "off" : "on"} />
          <button type="submit" class="button">
            {props.required ? "Stop requiring two factors" : "Require two factors of every member"}
          </button>
        </>
      ) : (
        <p class="muted">Only owners change this.</p>
      )}
    </form>
  );
}
