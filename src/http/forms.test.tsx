import { describe, expect, test } from "bun:test";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { AppError, validationError, type FieldErrors } from "../lib/errors";
import { answerForm, otherErrors, tryForm, type FormErrorOptions, type FormFailure } from "./forms";
import { BOOSTED, bareApp, formPost, HTMX } from "./error-app.fixture";
import type { LogEntry } from "../deps";
import type { AppContext } from "./types";
import { parseForm } from "./validate";

const THROWN: Record<string, () => never> = {
  invalid: () => {
    throw validationError({ name: ["Enter a name."] }, "Some fields need attention.");
  },
  taken: () => {
    throw new AppError(409, "name_taken", "That name is taken.", { fieldErrors: { name: ["That name is taken."] } });
  },
  "last-owner": () => {
    throw new AppError(409, "last_owner", "Make another owner first.");
  },
  "logo-type": () => {
    throw new AppError(422, "logo_wrong_type", "Not an image.", { fieldErrors: { logo: ["Not an image."] } });
  },
  "too-large": () => {
    throw new AppError(413, "payload_too_large", "Too large.");
  },
  limited: () => {
    throw new AppError(429, "rate_limited", "Too many; try later.", { retryAfterSeconds: 90 }, { "Retry-After": "90" });
  },
  "wrong-password": () => {
    throw new AppError(401, "invalid_credentials", "Wrong email or password.");
  },
  forbidden: () => {
    throw new AppError(403, "forbidden", "Only an admin may.");
  },
  gone: () => {
    throw new AppError(404, "not_member", "That user is not a member.");
  },
  broken: () => {
    throw new AppError(503, "unavailable", "Down for a moment.");
  },
  bug: () => {
    throw new Error("secret internals");
  },
  http: () => {
    throw new HTTPException(403, { message: "No." });
  },
};

const OPTIONS: Record<string, FormErrorOptions> = {
  default: {},
  "as-422": { invalidStatus: 422 },
  "sign-in": { alsoShow: [401] },
  panel: { alsoShow: [403, 404], invalidStatus: 422 },
};

/** The form's part: the errors as data attributes, so the tests can read them back. */
function Part(props: { errors?: FieldErrors; saved?: boolean }) {
  return (
    <form id="part" data-errors={JSON.stringify(props.errors ?? {})}>
      {props.saved ? "Saved." : "Edit."}
    </form>
  );
}

const readErrors = (html: string) => {
  const match = /data-errors="([^"]*)"/.exec(html);
  return match ? JSON.parse(match[1]!.replaceAll("&quot;", '"')) : null;
};

function app(logged: LogEntry[] = []) {
  const built = { page: 0, fragment: 0 };
  const app = bareApp(logged);
  // The one route shape every form post takes: act, then answer — success or failure.
  app.post("/act/:what/:options", async (c: AppContext) => {
    const what = c.req.param("what")!;
    const done = await tryForm(c, () => (what === "ok" ? "value" : THROWN[what]!()), OPTIONS[c.req.param("options")!]);
    if (!done.ok) {
      return answerForm(c, {
        ...done,
        title: "Form",
        fragment: <Part errors={done.errors} />,
        page: async () => {
          built.page++;
          await Bun.sleep(1);
          return <main id="whole-page"><Part errors={done.errors} /></main>;
        },
      });
    }
    return answerForm(c, {
      ok: true,
      redirect: "/done?saved=1",
      fragment: c.req.query("swap") ? () => (built.fragment++, <Part saved />) : undefined,
    });
  });
  // The outcome itself, as JSON.
  app.post("/outcome/:what/:options", async (c: AppContext) => {
    const what = c.req.param("what")!;
    const done = await tryForm(c, async () => (what === "ok" ? { saved: 1 } : THROWN[what]!()), OPTIONS[c.req.param("options")!]);
    if (done.ok) return c.json(done);
    const { error, ...rest } = done;
    return c.json({ ...rest, code: error.code });
  });
  // A form's parse failure and its service failure answered the same way.
  app.post("/name", async (c: AppContext) => {
    const form = await parseForm(c, z.object({ name: z.string().min(1, "Enter a name.") }));
    const show = (status: 422 | 409, errors: FieldErrors) => answerForm(c, { ok: false, status, title: "Name", fragment: <Part errors={errors} /> });
    if (!form.ok) return show(422, form.errors);
    const saved = await tryForm(c, () => THROWN.taken!(), { invalidStatus: 422 });
    if (!saved.ok) return show(saved.status as 409, saved.errors);
    return answerForm(c, { ok: true, redirect: "/name" });
  });
  return { app, built };
}

const outcome = async (what: string, options = "default") => {
  const response = await app().app.request(`/outcome/${what}/${options}`, { method: "POST" });
  return { status: response.status, headers: response.headers, body: await response.json() };
};

describe("tryForm", () => {
  test("a success is the action's value (sync or async action)", async () => {
    expect((await outcome("ok")).body).toEqual({ ok: true, value: { saved: 1 } });
    const { app: a } = app();
    const response = await a.request("/act/ok/default", formPost([]));
    expect(response.status).toBe(303);
  });

  test("a validation error: its field errors, status 400 — or 422 when the form says so", async () => {
    const { body } = await outcome("invalid");
    expect(body).toEqual({
      ok: false,
      status: 400,
      errors: { name: ["Enter a name."] },
      message: "Some fields need attention.",
      formError: null,
      code: "validation_failed",
    } satisfies Omit<FormFailure, "error"> & { code: string });
    expect((await outcome("invalid", "as-422")).body.status).toBe(422);
  });

  test("a 409 with field errors shows them; one with only a message shows it as the form's error", async () => {
    expect((await outcome("taken")).body).toMatchObject({ status: 409, errors: { name: ["That name is taken."] }, formError: null });
    expect((await outcome("last-owner")).body).toMatchObject({
      status: 409,
      errors: { _form: ["Make another owner first."] },
      message: "Make another owner first.",
      formError: "Make another owner first.",
    });
    // invalidStatus maps 400 only.
    expect((await outcome("last-owner", "as-422")).body.status).toBe(409);
  });

  test("422 and 413 are shown in place too", async () => {
    expect((await outcome("logo-type")).body).toMatchObject({ status: 422, errors: { logo: ["Not an image."] } });
    expect((await outcome("too-large")).body).toMatchObject({ status: 413, errors: { _form: ["Too large."] } });
  });

  test("a 429 is shown in place with its Retry-After kept, and its details at hand", async () => {
    const { status, headers, body } = await outcome("limited");
    expect(status).toBe(200); // the JSON route's own status: the header came from tryForm
    expect(headers.get("retry-after")).toBe("90");
    expect(body).toMatchObject({ status: 429, formError: "Too many; try later." });
    const { app: a } = app();
    const page = await a.request("/act/limited/default", formPost([], HTMX));
    expect(page.status).toBe(429);
    expect(page.headers.get("retry-after")).toBe("90");
  });

  test("401, 403 and 404 go to the error handler unless the form opts in", async () => {
    const { app: a } = app();
    for (const [what, status] of [["wrong-password", 401], ["forbidden", 403], ["gone", 404]] as const) {
      const response = await a.request(`/act/${what}/default`, formPost([]));
      expect(response.status).toBe(status);
      const html = await response.text();
      expect(html).not.toContain('id="part"');
    }
    expect((await outcome("wrong-password", "sign-in")).body).toMatchObject({ status: 401, formError: "Wrong email or password." });
    expect((await outcome("forbidden", "panel")).body).toMatchObject({ status: 403, errors: { _form: ["Only an admin may."] } });
    expect((await outcome("gone", "panel")).body).toMatchObject({ status: 404, formError: "That user is not a member." });
    // Opting in to one status is not opting in to the others.
    expect((await app().app.request("/act/forbidden/sign-in", formPost([]))).status).toBe(403);
  });

  test("5xx, plain errors and HTTPExceptions are rethrown, whatever the options", async () => {
    const logged: LogEntry[] = [];
    const { app: a } = app(logged);
    for (const options of ["default", "panel"]) {
      const broken = await a.request(`/act/broken/${options}`, formPost([]));
      expect(broken.status).toBe(503);
      expect(await broken.text()).not.toContain('id="part"');
      const bug = await a.request(`/act/bug/${options}`, formPost([]));
      expect(bug.status).toBe(500);
      expect(await bug.text()).not.toContain("secret internals");
      expect((await a.request(`/act/http/${options}`, formPost([]))).status).toBe(403);
    }
    // The error handler had them: each 5xx logged once, with the request id.
    expect(logged.length).toBe(4);
    expect(logged.every((e) => e.requestId === "req-test")).toBe(true);
  });
});

describe("answerForm", () => {
  test("success, plain post: a 303 to the redirect; the success fragment is not built", async () => {
    const { app: a, built } = app();
    const response = await a.request("/act/ok/default?swap=1", formPost([]));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/done?saved=1");
    expect(built.fragment).toBe(0);
  });

  test("success, htmx: the fragment when there is one, else HX-Redirect", async () => {
    const { app: a, built } = app();
    const swapped = await a.request("/act/ok/default?swap=1", formPost([], HTMX));
    expect(swapped.status).toBe(200);
    const html = await swapped.text();
    expect(html).toContain("Saved.");
    expect(html).not.toContain("<html");
    expect(built.fragment).toBe(1);
    const redirected = await a.request("/act/ok/default", formPost([], HTMX));
    expect(redirected.status).toBe(204);
    expect(redirected.headers.get("hx-redirect")).toBe("/done?saved=1");
  });

  test("success, a boosted post: HX-Redirect, since the browser navigates to a whole page", async () => {
    const { app: a, built } = app();
    const response = await a.request("/act/ok/default?swap=1", formPost([], BOOSTED));
    expect(response.status).toBe(204);
    expect(response.headers.get("hx-redirect")).toBe("/done?saved=1");
    expect(built.fragment).toBe(0);
  });

  test("failure, htmx: the form's fragment alone with its errors and status; the page is not built", async () => {
    const { app: a, built } = app();
    const response = await a.request("/act/taken/default", formPost([], HTMX));
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).not.toContain("<html");
    expect(html).not.toContain("whole-page");
    expect(readErrors(html)).toEqual({ name: ["That name is taken."] });
    expect(built.page).toBe(0);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  test("failure, plain post (or boosted): the whole page, built by the caller, with the part in place", async () => {
    for (const headers of [{}, BOOSTED]) {
      const { app: a, built } = app();
      const response = await a.request("/act/last-owner/default", formPost([], headers));
      expect(response.status).toBe(409);
      const html = await response.text();
      expect(html).toContain("<html");
      expect(html).toContain('id="whole-page"');
      expect(readErrors(html)).toEqual({ _form: ["Make another owner first."] });
      expect(built.page).toBe(1);
    }
  });

  test("a parse failure and a service failure answer the same way; without a page builder the part stands alone in the shell", async () => {
    const { app: a } = app();
    const blank = await a.request("/name", formPost([["name", ""]]));
    expect(blank.status).toBe(422);
    const html = await blank.text();
    expect(html).toContain("<html");
    expect(readErrors(html)).toEqual({ name: ["Enter a name."] });
    const taken = await a.request("/name", formPost([["name", "Ada"]], HTMX));
    expect(taken.status).toBe(409);
    expect(readErrors(await taken.text())).toEqual({ name: ["That name is taken."] });
  });
});

describe("otherErrors", () => {
  test("joins the messages of fields the form does not show", () => {
    expect(otherErrors({ q: ["Too long."], page: ["Not a page."], _form: ["Odd."] }, ["q"])).toBe("Not a page. Odd.");
    expect(otherErrors({ q: ["Too long."] }, ["q"])).toBeNull();
    expect(otherErrors({}, [])).toBeNull();
  });
});
