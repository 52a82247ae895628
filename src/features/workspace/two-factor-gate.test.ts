// A business that requires two-factor sign-in: who can turn it on, what a member without a second
// factor meets on every kind of route, and what an outsider learns (nothing).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generateHOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { createTestApp, loginToken, strongPassword, type TestApp } from "../../test/app";
import { addBusinessMember, api, business, person, type Person } from "../../test/people";

let t: TestApp;
let owner: Person;
let admin: Person;
let member: Person;
let outsider: Person;
let acme: string;
beforeAll(async () => {
  t = await createTestApp();
  [owner, admin, member, outsider] = [await person(t, "Olga"), await person(t, "Adam"), await person(t, "Mia"), await person(t, "Otto")];
  acme = await business(t, owner);
  await addBusinessMember(t, acme, admin, "admin");
  await addBusinessMember(t, acme, member, "member");
});
afterAll(() => t.close());

/** Turns on two-factor sign-in for this person through the API, in the session of `token` (which then counts as two-factor). */
async function enableTwoFactor(token: string) {
  const setup = await api(t, token, "/api/auth/two-factor/setup", { method: "POST", json: { currentPassword: strongPassword } });
  const { secret } = (await setup.json()) as { secret: string };
  const code = generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(t.deps.now() / 30_000)), 6);
  expect((await api(t, token, "/api/auth/two-factor/confirm", { method: "POST", json: { code } })).status).toBe(200);
}

const setPolicy = (token: string, on: boolean) =>
  t.app.request(`/business/${acme}/settings/two-factor`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-www-form-urlencoded", "hx-request": "true" },
    body: `requireTwoFactor=${on ? "on" : "off"}`,
  });

describe("requiring two factors of every member", () => {
  test("only an owner decides, and only from a session that used two factors", async () => {
    expect((await setPolicy(owner.token, true)).status).toBe(409);
    expect((await setPolicy(admin.token, true)).status).toBe(403);
    const ownerSession = await loginToken(t.app, owner.email);
    await enableTwoFactor(ownerSession);
    const on = await setPolicy(ownerSession, true);
    expect(on.status).toBe(200);
    expect(await on.text()).toContain("Every member must have signed in with two factors");
  });

  test("a member without a second factor is refused on pages, fragments and JSON; an outsider still gets 404", async () => {
    for (const path of [`/api/businesses/${acme}`, `/api/businesses/${acme}/members`]) {
      const response = await api(t, member, path);
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("two_factor_required");
    }
    for (const path of [`/business/${acme}/workspace`, `/business/${acme}/workspace/members`, `/business/${acme}/invitations`]) {
      const page = await t.app.request(path, { headers: { authorization: `Bearer ${member.token}` } });
      expect(page.status).toBe(403);
      expect(await page.text()).toContain("requires two-factor sign-in");
    }
    // Someone outside the business learns nothing: not even that it requires two factors.
    const probe = await api(t, outsider, `/api/businesses/${acme}`);
    expect(probe.status).toBe(404);
    expect(await probe.text()).not.toContain("two-factor");
  });

  test("once the member turns on two factors (and signs in with them), the business opens", async () => {
    const session = await loginToken(t.app, member.email);
    await enableTwoFactor(session);
    expect((await api(t, session, `/api/businesses/${acme}`)).status).toBe(200);
    // An older session without the second factor stays refused.
    expect((await api(t, member, `/api/businesses/${acme}`)).status).toBe(401);
  });
});
