// Business settings: name and description, permissions on every settings route, and the body limits.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { businesses, businessModules } from "../../schema";
import { createTestApp, type Browser, type TestApp } from "../../test/app";
import { auditFor, business, person, type Person, signedIn } from "../../test/people";

let t: TestApp;
let acme: string;
let other: string; // Otto's business: nobody from Acme belongs to it
const who: Record<"olga" | "adam" | "mona" | "tess" | "otto", Person> = {} as never;
const as: Record<keyof typeof who, Browser> = {} as never;
const htmx = { "hx-request": "true" };
const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="), (ch) => ch.charCodeAt(0));

beforeAll(async () => {
  t = await createTestApp();
  for (const [key, name] of [["olga", "Olga"], ["adam", "Adam"], ["mona", "Mona"], ["tess", "Tess"], ["otto", "Otto"]] as const) who[key] = await person(t, name);
  acme = await business(t, who.olga, [[who.adam, "admin"], [who.mona, "manager"], [who.tess, "member"]], "Acme Ltd");
  other = await business(t, who.otto, [], "Otto's Outfit");
  for (const key of Object.keys(who) as (keyof typeof who)[]) as[key] = await signedIn(t, who[key]);
});
afterAll(() => t.close());

const rowOf = async (id: string) => (await t.deps.db.select().from(businesses).where(eq(businesses.id, id)))[0]!;
const logoForm = (bytes: Uint8Array<ArrayBuffer> = PNG) => {
  const form = new FormData();
  form.append("logo", new File([bytes], "logo.png", { type: "image/png" }));
  return form;
};

describe("name and description", () => {
  test("a plain form saves, is audited with before and after, and redirects 303 to the settings tab, which confirms it", async () => {
    const response = await as.adam.request(`/business/${acme}/settings`, { method: "POST", form: { name: "Acme Group", description: "We make everything." } });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/business/${acme}/workspace/settings?saved=details`);
    expect(await rowOf(acme)).toMatchObject({ name: "Acme Group", description: "We make everything." });
    const [audit] = await auditFor(t, acme, "business.update");
    expect(audit!.actorUserId).toBe(who.adam.id);
    expect(audit!.details).toEqual({ before: { name: "Acme Ltd", description: "" }, after: { name: "Acme Group", description: "We make everything." } });
    const page = await (await as.adam.request(`/business/${acme}/workspace/settings?saved=details`)).text();
    expect(page).toContain("The business details are saved.");
    expect(page).toContain('value="Acme Group"');
    expect(page).toContain("We make everything.</textarea>");
  });

  test("htmx gets the form back in place with a confirmation", async () => {
    const response = await as.olga.request(`/business/${acme}/settings`, { method: "POST", headers: htmx, form: { name: "Acme Ltd", description: "" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toStartWith('<form id="business-settings-form"');
    expect(html).toContain("The business details are saved.");
    expect(html).not.toContain("<header");
    expect(response.headers.get("hx-trigger")).toBe("business-settings-changed");
    expect((await rowOf(acme)).name).toBe("Acme Ltd");
  });

  test("errors are shown beside the fields, keeping what was typed: in the fragment (htmx) and in the whole page (plain)", async () => {
    const before = (await auditFor(t, acme, "business.update")).length;
    const viaHtmx = await as.olga.request(`/business/${acme}/settings`, { method: "POST", headers: htmx, form: { name: "A", description: "x".repeat(2001) } });
    expect(viaHtmx.status).toBe(422);
    const fragment = await viaHtmx.text();
    expect(fragment).toStartWith('<form id="business-settings-form"');
    expect(fragment).toContain('id="business-settings-name-error"');
    expect(fragment).toContain("A name has at least 2 characters.");
    expect(fragment).toContain('id="business-settings-description-error"');
    expect(fragment).toContain('value="A"');

    const plain = await as.olga.request(`/business/${acme}/settings`, { method: "POST", form: { name: " ", description: "kept" } });
    expect(plain.status).toBe(422);
    const page = await plain.text();
    expect(page).toStartWith("<!doctype html>");
    expect(page).toContain('id="workspace-tabs"');
    expect(page).toContain('id="business-settings-name-error"');
    expect(page).toContain("kept</textarea>");
    expect(page).toContain('id="business-logo-settings"'); // the rest of the tab is still there
    expect(page).toContain('id="module-config"'); // the module table too
    expect((await rowOf(acme)).name).toBe("Acme Ltd");
    expect((await auditFor(t, acme, "business.update")).length).toBe(before);
  });
});

describe("permissions", () => {
  const routes = (id: string) => [
    { path: `/business/${id}/settings`, init: { method: "POST", form: { name: "Taken Over", description: "" } } },
    { path: `/business/${id}/settings/logo`, init: { method: "POST", body: logoForm() } },
    { path: `/business/${id}/settings/logo/delete`, init: { method: "POST" } },
  ];

  test("a manager and a member get 403 on every settings action, and nothing changes", async () => {
    for (const browser of [as.mona, as.tess]) {
      for (const { path, init } of routes(acme)) {
        const response = await browser.request(path, init);
        expect(`${path} ${response.status}`).toBe(`${path} 403`);
      }
    }
    expect(await rowOf(acme)).toMatchObject({ name: "Acme Ltd", logoKey: null });
  });

  test("someone outside the business gets 404 on every route, the logo included, exactly like a business that does not exist", async () => {
    for (const id of [acme, "nosuchbusiness0000"]) {
      for (const { path, init } of routes(id)) expect(`${path} ${(await as.otto.request(path, init)).status}`).toBe(`${path} 404`);
      expect((await as.otto.request(`/business/${id}/logo`)).status).toBe(404);
      expect((await as.otto.request(`/business/${id}/workspace/settings`)).status).toBe(404);
    }
    // …and Acme's owner is just as much a stranger to Otto's business.
    expect((await as.olga.request(`/business/${other}/settings`, { method: "POST", form: { name: "Mine now", description: "" } })).status).toBe(404);
    expect((await rowOf(other)).name).toBe("Otto's Outfit");
  });

  test("signed out: actions are refused and the logo sends you to sign in", async () => {
    expect((await t.app.request(`/business/${acme}/settings`, { method: "POST", body: new URLSearchParams({ name: "x y" }) })).status).toBe(401);
    const logo = await t.app.request(`/business/${acme}/logo`);
    expect(logo.status).toBe(303);
    expect(logo.headers.get("location")).toStartWith("/login?next=");
  });

  test("the settings tab: owners and admins get the forms; a manager gets 403 by default, and a read-only view if an admin lets managers in", async () => {
    const admin = await (await as.adam.request(`/business/${acme}/workspace/settings`)).text();
    expect(admin).toContain('id="business-settings-form"');
    expect(admin).toContain('enctype="multipart/form-data"');
    expect((await as.mona.request(`/business/${acme}/workspace/settings`)).status).toBe(403);
    await t.deps.db.insert(businessModules).values({ businessId: acme, moduleId: "settings", enabled: true, allowedRoles: ["owner", "admin", "manager"], updatedAt: Date.now() });
    try {
      const response = await as.mona.request(`/business/${acme}/workspace/settings`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain("owners and admins can change these settings.");
      expect(html).not.toContain('id="business-settings-form"');
      expect(html).not.toContain("/settings/logo");
    } finally {
      await t.deps.db.delete(businessModules).where(eq(businessModules.businessId, acme));
    }
  });
});

describe("body limits: 1 MB everywhere, except the logo upload", () => {
  const big = (bytes: number) => "x".repeat(bytes);

  test("a 1.5 MB post to the details form (and other routes) is refused with 413", async () => {
    for (const path of [`/business/${acme}/settings`, `/business/${acme}/settings/logo/delete`, "/profile/name"]) {
      const response = await as.olga.request(path, { method: "POST", form: { name: "Acme", description: big(1.5 * 1024 * 1024) } });
      expect(`${path} ${response.status}`).toBe(`${path} 413`);
    }
    expect((await rowOf(acme)).name).toBe("Acme Ltd");
  });

  test("the logo upload takes a 2 MB image (past the 1 MB default)", async () => {
    const image = new Uint8Array(2 * 1024 * 1024);
    image.set(PNG);
    const response = await as.olga.request(`/business/${acme}/settings/logo`, { method: "POST", body: logoForm(image) });
    expect(response.status).toBe(303);
    expect((await rowOf(acme)).logoContentType).toBe("image/png");
  });

  test("a body far past the upload limit is refused unread with 413 and the message beside the field, with or without Content-Length", async () => {
    const huge = new Uint8Array(3 * 1024 * 1024);
    huge.set(PNG);
    const encoded = new Response(logoForm(huge));
    const type = encoded.headers.get("content-type")!;
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    const withLength = await as.olga.request(`/business/${acme}/settings/logo`, { method: "POST", headers: { ...htmx, "content-type": type, "content-length": String(bytes.length) }, body: bytes });
    const streamed = await as.olga.request(`/business/${acme}/settings/logo`, {
      method: "POST",
      headers: { ...htmx, "content-type": type },
      body: new ReadableStream({ start: (controller) => { for (let i = 0; i < bytes.length; i += 65536) controller.enqueue(bytes.slice(i, i + 65536)); controller.close(); } }),
      duplex: "half",
    } as RequestInit);
    for (const response of [withLength, streamed]) {
      expect(response.status).toBe(413);
      const html = await response.text();
      expect(html).toStartWith('<section id="business-logo-settings"');
      expect(html).toContain('id="business-logo-file-error"');
      expect(html).toContain("larger than 2 MB");
    }
  });

  test("a manager's oversized upload is a 403, not a 413: permissions come first", async () => {
    const huge = new Uint8Array(3 * 1024 * 1024);
    expect((await as.mona.request(`/business/${acme}/settings/logo`, { method: "POST", body: logoForm(huge) })).status).toBe(403);
  });
});

describe("the workspace heading", () => {
  test("shows the logo once there is one, and reloads itself after a settings save", async () => {
    const before = await (await as.otto.request(`/business/${other}/heading`, { headers: htmx })).text();
    expect(before).toStartWith('<div id="workspace-heading"');
    expect(before).toContain('hx-trigger="business-settings-changed from:body"');
    expect(before).not.toContain("<img");
    expect((await as.otto.request(`/business/${other}/settings/logo`, { method: "POST", body: logoForm() })).status).toBe(303);
    const after = await (await as.otto.request(`/business/${other}/heading`, { headers: htmx })).text();
    expect(after).toMatch(new RegExp(`<img class="business-logo small" src="/business/${other}/logo\\?v=`));
    expect((await as.tess.request(`/business/${other}/heading`, { headers: htmx })).status).toBe(404);
  });
});
