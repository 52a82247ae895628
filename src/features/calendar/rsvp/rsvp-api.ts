// Answers to invitations: POST /api/events/:id/rsvp {status, occurrence?, comment?}; comments on an event:
// GET/POST /api/events/:id/comments, DELETE …/:commentId; guardians' approvals of teens' answers:
// GET /api/calendar/approvals, POST /api/calendar/approvals {eventId, userId, approve}.
import { Hono } from "hono";
import { requireUser } from "../../../http/require-user";
import { requestMeta, type AppEnv } from "../../../http/types";
import { jsonBody } from "../../../http/validate";
import { getEvent } from "../event-read";
import { approvalInput, commentInput, rsvpInput } from "../input";
import { addComment, deleteComment, listComments } from "./comments";
import { answerInvitation, decideApproval, pendingApprovals } from "./rsvp";

export function rsvpApi() {
  return new Hono<AppEnv>()
    .post("/api/events/:id/rsvp", jsonBody(rsvpInput), async (c) => {
      const { user } = requireUser(c);
      const deps = c.var.deps;
      const outcome = await answerInvitation(deps, user.id, c.req.param("id"), c.req.valid("json"), requestMeta(c));
      return c.json({ rsvp: outcome, event: await getEvent(deps, user.id, c.req.param("id")) }, outcome.applied ? 200 : 202);
    })
    .get("/api/events/:id/comments", async (c) => {
      const { user } = requireUser(c);
      return c.json(await listComments(c.var.deps, user.id, c.req.param("id")));
    })
    .post("/api/events/:id/comments", jsonBody(commentInput), async (c) => {
      const { user } = requireUser(c);
      return c.json({ comment: await addComment(c.var.deps, user.id, c.req.param("id"), c.req.valid("json").body, requestMeta(c)) }, 201);
    })
    .delete("/api/events/:id/comments/:commentId", async (c) => {
      const { user } = requireUser(c);
      await deleteComment(c.var.deps, user.id, c.req.param("id"), c.req.param("commentId"), requestMeta(c));
      return c.body(null, 204);
    })
    .get("/api/calendar/approvals", async (c) => {
      const { user } = requireUser(c);
      return c.json({ approvals: await pendingApprovals(c.var.deps, user.id) });
    })
    .post("/api/calendar/approvals", jsonBody(approvalInput), async (c) => {
      const { user } = requireUser(c);
      const { eventId, userId, approve } = c.req.valid("json");
      await decideApproval(c.var.deps, user.id, eventId, userId, approve, requestMeta(c));
      return c.body(null, 204);
    });
}
