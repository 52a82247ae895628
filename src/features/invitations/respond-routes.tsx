import { Hono } from "hono";
import { RespondPage, type RespondPageProps } from "../../../views/invitations/RespondPage";
import { redirectAfterPost, render } from "../../http/render";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { lookupInvitation, refusalFor, respondToInvitation, type InvitationRef, type Refusal } from "./respond";

const STATUS: Record<Refusal, 403 | 404 | 410> = {
  invalid: 404,
  wrong_account: 403,
  unverified: 403,
  accepted: 410,
  declined: 410,
  revoked: 410,
  expired: 410,
};

function show(c: AppContext, props: RespondPageProps) {
  const status = props.refusal ? STATUS[props.refusal] : 200;
  return render(c, { title: props.details ? `Invitation to ${props.details.placeName}` : "Invitation", status, fragment: <RespondPage {...props} /> });
}

const placeHref = (kind: "business" | "household", id: string) => (kind === "business" ? `/business/${id}/workspace` : `/household/${id}`);

/**
 * GET shows (never changes anything); POST accept or decline. The viewer must be signed in with
 * the invited address; a used, declined, revoked, expired or unknown link is a clear page.
 */
function respondRoutes(refOf: (c: AppContext) => InvitationRef, baseOf: (c: AppContext) => string) {
  return new Hono<AppEnv>()
    .get("/", async (c) => {
      const ref = refOf(c);
      const viewer = c.var.user;
      const details = await lookupInvitation(c.var.deps, ref, viewer);
      if (!details) return show(c, { details: null, refusal: "invalid", viewer, base: baseOf(c) });
      const refusal = details.state !== "pending" ? details.state : viewer ? refusalFor(details, viewer, ref) : null;
      return show(c, { details, refusal, viewer, base: baseOf(c) });
    })
    .post("/:action{accept|decline}", async (c) => {
      const viewer = c.var.user;
      if (!viewer) return redirectAfterPost(c, `/login?next=${encodeURIComponent(baseOf(c))}`);
      const action = c.req.param("action") as "accept" | "decline";
      const outcome = await respondToInvitation(c.var.deps, viewer, refOf(c), action, requestMeta(c));
      if (!outcome.ok) return show(c, { details: outcome.details, refusal: outcome.reason, viewer, base: baseOf(c) });
      if (action === "accept") return redirectAfterPost(c, placeHref(outcome.details.kind, outcome.details.placeId));
      return show(c, { details: outcome.details, refusal: null, viewer, base: baseOf(c), declined: true });
    });
}

export function respondPages() {
  return new Hono<AppEnv>()
    .route("/invitations/received/:id", respondRoutes((c) => ({ id: c.req.param("id")! }), (c) => `/invitations/received/${c.req.param("id")}`))
    .route("/invitations/:token", respondRoutes((c) => ({ token: c.req.param("token")! }), (c) => `/invitations/${c.req.param("token")}`));
}
