import { Hono } from "hono";
import { requireUser } from "../../http/require-user";
import { requestMeta, type AppEnv } from "../../http/types";
import { jsonBody } from "../../http/validate";
import { pendingRequired, type PurposeState } from "./consent-rules";
import { consentsPutInput } from "./input";
import { changeConsents, consentHistory, consentsOf } from "./service";

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

/** The JSON shape of a person's consents: each purpose by name, and what must still be accepted. */
function consentsJson(state: PurposeState[]) {
  return {
    purposes: Object.fromEntries(
      state.map((s) => [s.purpose, { granted: s.granted, version: s.version, at: iso(s.at), how: s.how, required: s.required, currentVersion: s.currentVersion, effective: s.effective }]),
    ),
    mustAccept: pendingRequired(state),
  };
}

/**
 * JSON under /api/me/consents, only ever the caller's own. Open while the terms in force are not yet
 * accepted (gate.ts): PUT `{ purposes: { terms: true, privacy: true } }` is how an API client accepts.
 */
export function consentApi() {
  return new Hono<AppEnv>()
    .get("/consents", async (c) => {
      const { user } = requireUser(c);
      return c.json(consentsJson(await consentsOf(c.var.deps, user.id)));
    })
    .put("/consents", jsonBody(consentsPutInput), async (c) => {
      const { user } = requireUser(c);
      const { changed, state } = await changeConsents(c.var.deps, user.id, c.req.valid("json").purposes, "api", requestMeta(c));
      return c.json({ ...consentsJson(state), changed });
    })
    .get("/consents/history", async (c) => {
      const { user } = requireUser(c);
      const rows = await consentHistory(c.var.deps.db, user.id);
      return c.json({ history: rows.map((row) => ({ purpose: row.purpose, granted: row.granted, version: row.version, at: iso(row.at), how: row.how })) });
    });
}
