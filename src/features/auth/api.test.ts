import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents, sessions, users } from "../../schema";
import { Browser, createTestApp, loginToken, registerUser, strongPassword, verificationPath, type TestApp } from "../../test/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: "3", LOGIN_MAX_FAILURES_PER_CLIENT: "6" });
});
afterAll(() => t.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string; details: Record<string, unknown> } };
  return body.error;
}

describe("register", () => {
  test("the first account is platform admin, the next is not; no hash leaks", async () => {
    const first = await post("/api/auth/register", { email: "  Ada@Example.COM ", password: strongPassword, name: "Ada", acceptTerms: true });
    expect(first.status).toBe(201);
    const { user } = (await first.json()) as { user: Record<string, unknown> };
    expect(user).toMatchObject({ email: "ada@example.com", name: "Ada", isPlatformAdmin: true, emailVerified: false });
    expect(typeof user.id).toBe("string");
    expect(JSON.stringify(user)).not.toContain("argon2");
    const second = await registerUser(t.app, "grace@example.com", "Grace");
    expect(second.isPlatformAdmin).toBe(false);
    const [row] = await t.deps.db.select().from(users).where(eq(users.email, "ada@example.com"));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
  });

  test("a duplicate email answers 409, whatever its case", async () => {
    const response = await post("/api/auth/register", { email: "ADA@example.com", password: strongPassword, name: "Other", acceptTerms: true });
    expect(response.status).toBe(409);
    expect((await errorOf(response)).code).toBe("email_taken");
  });

  test("weak or invalid input answers 400 with a message per field", async () => {
    const response = await post("/api/auth/register", { email: "not-an-email", password: "short", name: "" });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("validation_failed");
    const fields = error.details.fieldErrors as Record<string, string[]>;
    expect(Object.keys(fields).sort()).toEqual(["acceptTerms", "email", "name", "password"]);
    const tooLong = await post("/api/auth/register", { email: "x@example.com", password: "a1".repeat(65), name: "X" });
    expect(tooLong.status).toBe(400);
    const repetitive = await post("/api/auth/register", { email: "x@example.com", password: "aaaaaaaaaaaa", name: "X" });
    expect(repetitive.status).toBe(400);
  });

  test("a malformed body is a 400, never a 500", async () => {
    const broken = await t.app.request("/api/auth/register", { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(broken.status).toBe(400);
    expect((await errorOf(broken)).code).toBe("bad_request");
    const wrongTypes = await post("/api/auth/register", { email: 42, password: ["x"], name: { a: 1 } });
    expect(wrongTypes.status).toBe(400);
    const notJson = await t.app.request("/api/auth/register", { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" });
    expect(notJson.status).toBe(400);
  });
});

describe("login and sessions", () => {
  test("login returns a token and an HttpOnly SameSite=Lax cookie; only the token's hash is stored", async () => {
    const response = await post("/api/auth/login", { email: "ada@example.com", password: strongPassword });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; user: { email: string } };
    expect(body.token.length).toBeGreaterThanOrEqual(26);
    expect(body.user.email).toBe("ada@example.com");
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^session=/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    const stored = await t.deps.db.select().from(sessions);
    expect(stored.some((s) => s.id === body.token || s.publicId === body.token)).toBe(false);
  });

  test("over https the cookie is Secure and __Host- prefixed", async () => {
    const response = await t.app.request("https://localhost/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ada@example.com", password: strongPassword }),
    });
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^__Host-session=/);
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("Path=/");
  });

  test("over https only __Host-session is accepted; the plain cookie name only on plain http", async () => {
    const token = await loginToken(t.app, "ada@example.com");
    const me = (url: string, cookie: string) => t.app.request(url, { headers: { cookie } });
    expect((await me("https://localhost/api/auth/me", `__Host-session=${token}`)).status).toBe(200);
    // A cookie planted without the prefix (by a sibling subdomain, or over plain http) is ignored over https.
    expect((await me("https://localhost/api/auth/me", `session=${token}`)).status).toBe(401);
    expect((await me("http://localhost/api/auth/me", `session=${token}`)).status).toBe(200);
    expect((await me("http://localhost/api/auth/me", `__Host-session=${token}`)).status).toBe(401);
  });

  test("a new token at every login", async () => {
    const a = await loginToken(t.app, "grace@example.com");
    const b = await loginToken(t.app, "grace@example.com");
    expect(a).not.toBe(b);
  });

  test("/me works with a bearer token and with the cookie, and 401s without", async () => {
    const token = await loginToken(t.app, "grace@example.com");
    const byBearer = await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } });
    expect(byBearer.status).toBe(200);
    expect(((await byBearer.json()) as { user: { email: string } }).user.email).toBe("grace@example.com");
    const byCookie = await t.app.request("/api/auth/me", { headers: { cookie: `session=${token}` } });
    expect(byCookie.status).toBe(200);
    const anonymous = await t.app.request("/api/auth/me");
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).code).toBe("unauthenticated");
    const forged = await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}x` } });
    expect(forged.status).toBe(401);
  });

  test("unknown email and wrong password get the same 401", async () => {
    const unknown = await post("/api/auth/login", { email: "nobody@example.com", password: strongPassword }, { "x-forwarded-for": "198.51.100.1" });
    const wrong = await post("/api/auth/login", { email: "grace@example.com", password: "not the password" }, { "x-forwarded-for": "198.51.100.1" });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await errorOf(unknown)).toEqual(await errorOf(wrong));
  });

  test("logout revokes the session", async () => {
    const token = await loginToken(t.app, "grace@example.com");
    const auth = { authorization: `Bearer ${token}` };
    expect((await t.app.request("/api/auth/logout", { method: "POST", headers: auth })).status).toBe(204);
    expect((await t.app.request("/api/auth/me", { headers: auth })).status).toBe(401);
  });

  test("sessions end after the idle timeout and after the absolute lifetime", async () => {
    const idle = await createTestApp({ SESSION_IDLE_TIMEOUT_SECONDS: "600", SESSION_MAX_AGE_SECONDS: "1800" });
    try {
      await registerUser(idle.app, "idle@example.com");
      const token = await loginToken(idle.app, "idle@example.com");
      const me = () => idle.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } });
      // Active every 9 minutes: the idle timeout never fires, but the 30-minute lifetime does.
      for (let i = 0; i < 3; i++) {
        idle.advance(9 * 60_000);
        expect((await me()).status).toBe(200);
      }
      idle.advance(4 * 60_000);
      expect((await me()).status).toBe(401);

      const second = await loginToken(idle.app, "idle@example.com");
      idle.advance(11 * 60_000);
      expect((await idle.app.request("/api/auth/me", { headers: { authorization: `Bearer ${second}` } })).status).toBe(401);
    } finally {
      idle.close();
    }
  });

  test("a disabled user's sessions stop working at once, and they cannot sign in", async () => {
    await registerUser(t.app, "soon-disabled@example.com");
    const token = await loginToken(t.app, "soon-disabled@example.com");
    await t.deps.db.update(users).set({ disabledAt: t.deps.now() }).where(eq(users.email, "soon-disabled@example.com"));
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    const again = await post("/api/auth/login", { email: "soon-disabled@example.com", password: strongPassword }, { "x-forwarded-for": "198.51.100.200" });
    expect(again.status).toBe(401);
  });

  test("listing and revoking sessions is limited to your own", async () => {
    const ada = await loginToken(t.app, "ada@example.com");
    const grace = await loginToken(t.app, "grace@example.com");
    const list = await t.app.request("/api/auth/sessions", { headers: { authorization: `Bearer ${grace}` } });
    const { sessions: graceSessions } = (await list.json()) as { sessions: { id: string; current: boolean }[] };
    const current = graceSessions.find((s) => s.current)!;
    expect(current).toBeDefined();
    // Ada cannot revoke Grace's session: it is not found for her.
    const foreign = await t.app.request(`/api/auth/sessions/${current.id}`, { method: "DELETE", headers: { authorization: `Bearer ${ada}` } });
    expect(foreign.status).toBe(404);
    const own = await t.app.request(`/api/auth/sessions/${current.id}`, { method: "DELETE", headers: { authorization: `Bearer ${grace}` } });
    expect(own.status).toBe(204);
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${grace}` } })).status).toBe(401);
  });
});

describe("profile changes", () => {
  test("a password change ends every session and hands back a new one", async () => {
    await registerUser(t.app, "lin@example.com", "Lin");
    const older = await loginToken(t.app, "lin@example.com");
    const current = await loginToken(t.app, "lin@example.com");
    const wrong = await post("/api/auth/password", { currentPassword: "nope nope nope", newPassword: "a brand new passphrase" }, { authorization: `Bearer ${current}` });
    expect(wrong.status).toBe(400);
    expect(((await errorOf(wrong)).details.fieldErrors as Record<string, unknown>).currentPassword).toBeDefined();
    const changed = await post("/api/auth/password", { currentPassword: strongPassword, newPassword: "a brand new passphrase" }, { authorization: `Bearer ${current}` });
    expect(changed.status).toBe(200);
    const { token } = (await changed.json()) as { token: string };
    for (const old of [older, current]) {
      expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${old}` } })).status).toBe(401);
    }
    expect((await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await loginToken(t.app, "lin@example.com", "a brand new passphrase");
  });

  test("an email change needs the current password and a free address", async () => {
    const token = await loginToken(t.app, "grace@example.com");
    const auth = { authorization: `Bearer ${token}` };
    expect((await post("/api/auth/email", { email: "grace2@example.com", currentPassword: "wrong" }, auth)).status).toBe(400);
    expect((await post("/api/auth/email", { email: "ada@example.com", currentPassword: strongPassword }, auth)).status).toBe(409);
    const ok = await post("/api/auth/email", { email: "Grace.Hopper@example.com", currentPassword: strongPassword }, auth);
    // Nothing changes until the link mailed to the new address is followed.
    expect(ok.status).toBe(202);
    expect(await ok.json()).toMatchObject({ user: { email: "grace@example.com" }, pendingEmail: "grace.hopper@example.com" });
    const link = (await verificationPath(t.app, "grace.hopper@example.com")).split("/").at(-1);
    expect((await post("/api/auth/email/verify", { token: link }, auth)).status).toBe(200);
    const me = (await (await t.app.request("/api/auth/me", { headers: auth })).json()) as { user: { email: string; emailVerified: boolean } };
    expect(me.user).toMatchObject({ email: "grace.hopper@example.com", emailVerified: true });
    const renamed = await t.app.request("/api/auth/me", { method: "PATCH", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ name: "Grace Hopper" }) });
    expect(((await renamed.json()) as { user: { name: string } }).user.name).toBe("Grace Hopper");
  });

  test("every account change is in the audit log", async () => {
    const actions = new Set((await t.deps.db.select({ action: auditEvents.action }).from(auditEvents)).map((r) => r.action));
    for (const action of ["auth.register", "auth.login", "auth.login_failed", "auth.logout", "auth.password_change", "auth.email_change", "auth.session_revoke", "auth.profile_update"]) {
      expect(actions.has(action)).toBe(true);
    }
  });
});

describe("rate limits", () => {
  test("repeated failures on one account answer 429 with Retry-After, even with the right password", async () => {
    await registerUser(t.app, "target@example.com");
    const attempt = (password: string, ip: string) => post("/api/auth/login", { email: "target@example.com", password }, { "x-forwarded-for": ip });
    for (let i = 0; i < 3; i++) expect((await attempt("wrong password!", `198.51.100.${10 + i}`)).status).toBe(401);
    const blocked = await attempt(strongPassword, "198.51.100.50");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await errorOf(blocked)).code).toBe("rate_limited");
    t.advance(16 * 60_000);
    expect((await attempt(strongPassword, "198.51.100.50")).status).toBe(200);
  });

  test("repeated failures from one client across accounts answer 429", async () => {
    const ip = "198.51.100.77";
    for (let i = 0; i < 6; i++) {
      const r = await post("/api/auth/login", { email: `guess${i}@example.com`, password: "whatever123" }, { "x-forwarded-for": ip });
      expect(r.status).toBe(401);
    }
    const blocked = await post("/api/auth/login", { email: "ada@example.com", password: strongPassword }, { "x-forwarded-for": ip });
    expect(blocked.status).toBe(429);
    const elsewhere = await post("/api/auth/login", { email: "ada@example.com", password: strongPassword }, { "x-forwarded-for": "198.51.100.78" });
    expect(elsewhere.status).toBe(200);
  });

  test("RATE_LIMIT=off turns the limits off", async () => {
    const open = await createTestApp({ RATE_LIMIT: "off", LOGIN_MAX_FAILURES_PER_ACCOUNT: "1" });
    try {
      await registerUser(open.app, "free@example.com");
      for (let i = 0; i < 3; i++) {
        const r = await open.app.request("/api/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "free@example.com", password: "wrong wrong" }) });
        expect(r.status).toBe(401);
      }
    } finally {
      open.close();
    }
  });
});

describe("a browser session", () => {
  test("the cookie jar signs in, reads /me and signs out", async () => {
    const browser = new Browser(t.app);
    const login = await browser.request("/api/auth/login", { method: "POST", json: { email: "ada@example.com", password: strongPassword } });
    expect(login.status).toBe(200);
    expect((await browser.request("/api/auth/me")).status).toBe(200);
    expect((await browser.request("/api/auth/logout", { method: "POST" })).status).toBe(204);
    expect((await browser.request("/api/auth/me")).status).toBe(401);
  });
});
