// Email through a REAL SMTP server: smtp-server on 127.0.0.1 in this process, messages parsed with
// mailparser, and the link in the delivered email followed to accept the invitation.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { invitations, outbox } from "../../schema";
import { createTestApp, type TestApp } from "../../test/app";
import { api, business, person, type Person, roleOf, signedIn } from "../../test/people";
import { linkIn } from "../../test/mail";
import { startSmtp, type TestSmtp } from "../../test/smtp";
import type { BatchResult } from "./service";

let smtp: TestSmtp;
let delivered: ParsedMail[];
let refuse: Set<string>;
let t: TestApp;
let owner: Person;
let acme: string;

beforeAll(async () => {
  smtp = await startSmtp();
  ({ delivered, refuse } = smtp);
  t = await createTestApp({ RATE_LIMIT: "off", SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: "Blocks <invites@blocks.test>", PUBLIC_URL: "http://blocks.test" });
  owner = await person(t, "Olga");
  acme = await business(t, owner);
});
afterAll(async () => {
  t.close();
  await smtp.stop();
});

const invite = (json: unknown) => api(t, owner, `/api/businesses/${acme}/members/invitations`, { method: "POST", json });

describe("with SMTP_URL", () => {
  test("the email is delivered through SMTP; its link (on PUBLIC_URL) accepts the invitation", async () => {
    const invitee = await person(t, "Ivy");
    const response = await invite({ invitations: [{ email: invitee.email, role: "admin" }] });
    expect(response.status).toBe(201);
    const result = (await response.json()) as BatchResult;
    expect(result.rows[0]!.mail).toEqual({ status: "sent", error: null });
    const mail = delivered.find((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === invitee.email && m.subject?.includes("invited you"))!;
    expect(mail).toBeDefined();
    expect(mail.from?.value[0]).toEqual({ address: "invites@blocks.test", name: "Blocks" });
    expect(mail.subject).toBe("Olga invited you to Acme Ltd on Block on Block");
    expect(mail.text).toContain("http://blocks.test/invitations/");
    // The outbox records every message, with when it was sent.
    const [row] = await t.deps.db.select().from(outbox).where(and(eq(outbox.toAddress, invitee.email), eq(outbox.businessId, acme)));
    expect(row).toMatchObject({ transport: "smtp", error: null, businessId: acme });
    expect(row!.sentAt).toBeNumber();
    // Follow the link from the email body.
    const browser = await signedIn(t, invitee);
    const link = linkIn(mail.text!);
    const page = await browser.request(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Join Acme Ltd");
    const accept = await browser.request(`${link}/accept`, { method: "POST", headers: { origin: "http://blocks.test" } });
    expect(accept.status).toBe(303);
    expect(await roleOf(t, acme, invitee)).toMatchObject({ role: "admin" });
  });

  test("an SMTP failure keeps the invitation: the row says so, the outbox keeps the error, admins see it", async () => {
    refuse.add("bounce@example.com");
    const response = await invite({ text: "bounce@example.com\nfine@example.com" });
    expect(response.status).toBe(201);
    const result = (await response.json()) as BatchResult;
    expect(result.created).toBe(2);
    expect(result.rows[0]!.mail!.status).toBe("failed");
    expect(result.rows[0]!.mail!.error).toContain("Mailbox unavailable");
    expect(result.rows[1]!.mail).toEqual({ status: "sent", error: null });
    const [pending] = await t.deps.db.select().from(invitations).where(eq(invitations.email, "bounce@example.com"));
    expect(pending!.status).toBe("pending");
    const [row] = await t.deps.db.select().from(outbox).where(eq(outbox.toAddress, "bounce@example.com"));
    expect(row!.sentAt).toBeNull();
    expect(row!.error).toContain("Mailbox unavailable");
    const browser = await signedIn(t, owner);
    const html = await (await browser.request(`/business/${acme}/outbox`)).text();
    expect(html).toContain("Not sent");
    expect(html).toContain("Mailbox unavailable");
    expect(html).toContain("as sent through the mail server");
  });

  test("an unreachable SMTP server: the invitation still commits, and the error is recorded", async () => {
    const dead = await createTestApp({ RATE_LIMIT: "off", SMTP_URL: "smtp://127.0.0.1:9" });
    try {
      const boss = await person(dead, "Bea");
      const co = await business(dead, boss, [], "Offline Co");
      const response = await api(dead, boss, `/api/businesses/${co}/members/invitations`, { method: "POST", json: { text: "lost@example.com" } });
      expect(response.status).toBe(201);
      const result = (await response.json()) as BatchResult;
      expect(result.rows[0]!.mail!.status).toBe("failed");
      expect(result.rows[0]!.mail!.error).toMatch(/ECONNREFUSED|connect/i);
      const [pending] = await dead.deps.db.select().from(invitations).where(eq(invitations.email, "lost@example.com"));
      expect(pending!.status).toBe("pending");
      const [row] = await dead.deps.db.select().from(outbox).where(eq(outbox.toAddress, "lost@example.com"));
      expect(row!.error).toMatch(/ECONNREFUSED|connect/i);
      // Sending again from the page makes a new link and reports the failure again.
      const browser = await signedIn(dead, boss);
      const resend = await browser.request(`/business/${co}/invitations/${pending!.id}/resend`, { method: "POST" });
      expect(resend.headers.get("location")).toBe(`/business/${co}/invitations?done=resent-failed`);
    } finally {
      dead.close();
    }
  });
});
