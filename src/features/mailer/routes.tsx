import { Hono } from "hono";
import { OutboxPage } from "../../../views/mailer/OutboxPage";
import { render } from "../../http/render";
import { requireUser } from "../../http/require-user";
import type { AppEnv } from "../../http/types";
import { businessOutbox, householdOutbox } from "./service";

/** The outbox pages: what was sent about a business (admins) or a household (owners and adults). */
export function outboxPages() {
  return new Hono<AppEnv>()
    .get("/business/:id/outbox", async (c) => {
      const { user } = requireUser(c);
      const view = await businessOutbox(c.var.deps, user.id, c.req.param("id"));
      return render(c, { title: `Outbox · ${view.name}`, fragment: <OutboxPage view={view} smtp={c.var.deps.mailer.transport === "smtp"} /> });
    })
    .get("/household/:id/outbox", async (c) => {
      const { user } = requireUser(c);
      const view = await householdOutbox(c.var.deps, user.id, c.req.param("id"));
      return render(c, { title: `Outbox · ${view.name}`, fragment: <OutboxPage view={view} smtp={c.var.deps.mailer.transport === "smtp"} /> });
    });
}
