import { Hono } from "hono";
import { RespondPage, type RespondPageProps } from "../../../views/invitations/RespondPage";
import { redirectAfterPost, render } from "../../http/render";
import { requestMeta, type AppContext, type AppEnv } from "../../http/types";
import { lookupInvitation, refusalFor, respondToInvitation, type InvitationRef, type Refusal } from "./respond";

const STATUS: Record<Refusal, 403 | 404 | 409 | 410> = {
  invalid: 404,
  full: 409,
  wrong_account: 403,
  unverified: 403,
  accepted: 410,
  declined: 410,
  revoked: 410,
  expired: 410,
};

function show(c: AppContext, props: RespondPageProps) {
  const status = props.refusal ? STATUS[props.refusal] : 200;
  return render(c, { title: props.details && props.refusal !== "unverified" ? `Invitation to ${props.details.placeName}` : "Invitation", status, fragment: <RespondPage {...props} /> });
}

const placeHref = (kind: "business" | "household", id: string) => (kind === "business" ? `/business/${id}/workspace` : `/household/${id}`);

type Way = { refOf: (c: AppContext) => InvitationRef; baseOf: (c: AppContext) => string };

/** By the emailed link's token, or (signed in, from /home) by the invitation's id. */
const BY_TOKEN: Way = { refOf: (c) => ({ token: c.req.param("token")! }), baseOf: (c) => `/invitations/${c.req.param("token")}` };
const BY_ID: Way = { refOf: (c) => ({ id: c.req.param("id")! }), baseOf: (c) => `/invitations/received/${c.req.param("id")}` };

/** GET shows the invitation and never changes anything. */
async function showInvitation(c: AppContext, { refOf, baseOf }: Way) {
  const ref = refOf(c);
  const viewer = c.var.user;
  const details = await lookupInvitation(c.var.deps, ref, viewer);
  if (!details) return show(c, { details: null, refusal: "invalid", viewer, base: baseOf(c) });
  const refusal = details.state !== "pending" ? details.state : viewer ? refusalFor(details, viewer, ref) : null;
  return show(c, { details, refusal, viewer, base: baseOf(c) });
}

/** POST accept or decline, signed in with the invited address. */
async function answerInvitation(c: AppContext, { refOf, baseOf }: Way) {
  const viewer = c.var.user;
  if (!viewer) return redirectAfterPost(c, `/login?next=${encodeURIComponent(baseOf(c))}`);
  const action = c.req.param("action") as "accept" | "decline";
  const outcome = await respondToInvitation(c.var.deps, viewer, refOf(c), action, requestMeta(c));
  if (!outcome.ok) return show(c, { details: outcome.details, refusal: outcome.reason, viewer, base: baseOf(c) });
  if (action === "accept") return redirectAfterPost(c, placeHref(outcome.details.kind, outcome.details.placeId));
  return show(c, { details: outcome.details, refusal: null, viewer, base: baseOf(c), declined: true });
}

/**
 * The invitee's pages. The viewer must be signed in with the invited address to answer; a used,
 * declined, revoked, expired or unknown link is a clear page.
 */
export function respondPages() {
  return new Hono<AppEnv>()
    .get("/invitations/received/:id", (c) => showInvitation(c, BY_ID))
    .post("/invitations/received/:id/:action{accept|decline}", (c) => answerInvitation(c, BY_ID))
    .get("/invitations/:token", (c) => showInvitation(c, BY_TOKEN))
    .post("/invitations/:token/:action{accept|decline}", (c) => answerInvitation(c, BY_TOKEN));
}
