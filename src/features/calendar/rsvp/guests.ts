// People invited by email address, without an account. Each gets the invitation as iMIP (METHOD:REQUEST, the event's
// .ics in the mail, so their calendar app shows Accept/Decline) and a link signed for them alone
// (/rsvp/<guest id>.<HMAC>) to answer without signing in; only a hash of the signature is kept, so the link is
// checked by lookup, and a mail after a key rotation carries a fresh one. A moved event is sent again (answers asked
// again); a cancelled one, or a guest taken off it, gets METHOD:CANCEL. Mail goes out after the change commits.
import { and, eq, inArray } from "drizzle-orm";
import { publicLink } from "../../../config";
import type { Tx } from "../../../db/types";
import type { Deps, MailMessage } from "../../../deps";
import { newId, sha256Hex } from "../../../lib/crypto";
import { signWithKey } from "../../../lib/secret-box";
import { users } from "../../auth";
import { eventCalendar } from "../ical/export";
import { calendarEvents, calendarGuests, calendars, type CalendarEventRow, type CalendarGuestRow, type RsvpStatus } from "../schema";
import { afterMove, answeredOccurrence, withAnswer, type movedBy } from "./rsvp-rules";
import { writeTransaction } from "../../../db/transaction";
import { AppError } from "../../../lib/errors";
import { recordAudit, type RequestMeta } from "../../audit";
import { notify } from "../../notifications";
import { announce } from "../calendars";

export interface GuestInput {
  email: string;
  name?: string | undefined;
}

/** The link's secret part for one guest, with the current key. */
async function signatureFor(deps: Pick<Deps, "config">, guestId: string): Promise<string> {
  return signWithKey(deps.config.secretKeys[0]!, `rsvp:${guestId}`);
}

export const guestToken = (guestId: string, signature: string) => `${guestId}.${signature}`;

/** The guest a link is for, or null (a wrong, forged or revoked link all look the same). */
export async function guestByToken(deps: Pick<Deps, "db">, token: string): Promise<CalendarGuestRow | null> {
  const m = /^([a-z0-9]{10,40})\.([A-Za-z0-9_-]{20,100})$/.exec(token);
  if (!m) return null;
  const [row] = await deps.db.select().from(calendarGuests).where(eq(calendarGuests.tokenHash, sha256Hex(m[2]!))).limit(1);
  return row && row.id === m[1] ? row : null;
}

const normalEmail = (email: string) => email.trim().toLowerCase();

/** An email to send once the change commits. */
export type GuestMail = { guest: CalendarGuestRow; method: "REQUEST" | "CANCEL"; why: "invited" | "moved" | "cancelled" | "removed" };

/** Brings the event's guests to `wanted` (by address): new ones are added, missing ones removed. Returns the mails. */
export async function syncGuests(tx: Tx, deps: Pick<Deps, "config" | "now">, eventId: string, wanted: readonly GuestInput[]): Promise<GuestMail[]> {
  const current = await tx.select().from(calendarGuests).where(eq(calendarGuests.eventId, eventId));
  const byEmail = new Map(current.map((g) => [g.email, g]));
  const wantedByEmail = new Map(wanted.map((g) => [normalEmail(g.email), g]));
  const mails: GuestMail[] = [];
  for (const g of current) if (!wantedByEmail.has(g.email)) mails.push({ guest: g, method: "CANCEL", why: "removed" });
  const gone = current.filter((g) => !wantedByEmail.has(g.email)).map((g) => g.id);
  if (gone.length) await tx.delete(calendarGuests).where(inArray(calendarGuests.id, gone));
  for (const [email, input] of wantedByEmail) {
    if (byEmail.has(email)) continue;
    const id = newId();
    const row: CalendarGuestRow = { id, eventId, email, name: input.name?.trim() ?? "", status: "needs-action", comment: null, respondedAt: null, occurrenceAnswers: {}, tokenHash: sha256Hex(await signatureFor(deps, id)), createdAt: deps.now() };
    await tx.insert(calendarGuests).values(row);
    mails.push({ guest: row, method: "REQUEST", why: "invited" });
  }
  return mails;
}

/** After a move: every guest's answers asked again, and the event sent to them anew. */
export async function guestsAfterMove(tx: Tx, eventId: string, moved: NonNullable<ReturnType<typeof movedBy>>): Promise<GuestMail[]> {
  const guests = await tx.select().from(calendarGuests).where(eq(calendarGuests.eventId, eventId));
  for (const g of guests) {
    const next = afterMove({ status: g.status, comment: g.comment, occurrenceAnswers: g.occurrenceAnswers }, moved);
    await tx.update(calendarGuests).set(next).where(and(eq(calendarGuests.id, g.id)));
    Object.assign(g, next);
  }
  return guests.map((guest) => ({ guest, method: "REQUEST" as const, why: "moved" as const }));
}

/** Before the event goes: a cancellation for each guest. */
export async function guestsCancelled(tx: Tx, eventId: string): Promise<GuestMail[]> {
  return (await tx.select().from(calendarGuests).where(eq(calendarGuests.eventId, eventId))).map((guest) => ({ guest, method: "CANCEL" as const, why: "cancelled" as const }));
}

const SUBJECT: Record<GuestMail["why"], string> = { invited: "Invitation", moved: "Updated invitation", cancelled: "Cancelled", removed: "Cancelled" };

/** Sends the mails (after the commit): the text with the answer link, and the event as iMIP. A failed send is the outbox's to show. */
export async function mailGuests(deps: Deps, row: CalendarEventRow, organizerId: string | null, mails: readonly GuestMail[]): Promise<void> {
  if (mails.length === 0) return;
  const [organizer] = organizerId ? await deps.db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, organizerId)) : [];
  const from = organizer ?? { name: "Block on Block", email: `no-reply@${new URL(publicLink(deps.config, "/")).hostname}` };
  const when = row.allDay ? row.start : `${row.start.replace("T", " ")}${row.timeZone ? ` (${row.timeZone})` : ""}`;
  for (const mail of mails) {
    const { guest } = mail;
    let link: string | null = null;
    if (mail.method === "REQUEST") {
      const signature = await signatureFor(deps, guest.id);
      const hash = sha256Hex(signature);
      // A key rotated since the last mail: the new link replaces the old one.
      if (hash !== guest.tokenHash) await deps.db.update(calendarGuests).set({ tokenHash: hash }).where(eq(calendarGuests.id, guest.id));
      link = publicLink(deps.config, `/rsvp/${guestToken(guest.id, signature)}`);
    }
    const ics = eventCalendar(mail.method === "CANCEL" ? { ...row, sequence: row.sequence + 1 } : row, { name: row.title, timeZone: row.timeZone ?? undefined, now: deps.now() }, {
      method: mail.method,
      organizer: from,
      attendee: { name: guest.name, email: guest.email, status: guest.status },
    });
    const lines =
      mail.method === "REQUEST"
        ? [`${from.name} ${mail.why === "moved" ? "changed" : "invites you to"} “${row.title}”.`, "", `When: ${when}`, ...(row.location ? [`Where: ${row.location}`] : []), "", `Answer here (no account needed): ${link}`, "", "Your calendar app may also show Accept and Decline for the attached invitation."]
        : [`${from.name} ${mail.why === "removed" ? "took you off" : "cancelled"} “${row.title}” (${when}).`];
    const message: MailMessage = { to: guest.email, subject: `${SUBJECT[mail.why]}: ${row.title} (${when})`, text: lines.join("\n"), calendar: { method: mail.method, content: ics } };
    await deps.mailer.send(message, {});
  }
}

export interface GuestView {
  guest: CalendarGuestRow;
  event: CalendarEventRow;
  organizerName: string | null;
}

/** What a guest's link shows: their answer and the event (null: no such link, or the event is gone). */
export async function guestView(deps: Pick<Deps, "db">, token: string): Promise<GuestView | null> {
  const guest = await guestByToken(deps, token);
  if (!guest) return null;
  const [event] = await deps.db.select().from(calendarEvents).where(eq(calendarEvents.id, guest.eventId));
  if (!event) return null;
  const [organizer] = event.createdBy ? await deps.db.select({ name: users.name }).from(users).where(eq(users.id, event.createdBy)) : [];
  return { guest, event, organizerName: organizer?.name ?? null };
}

/** A guest answers through their link: recorded, announced on the event's calendar (the organizer sees it live) and told to the organizer. */
export async function answerAsGuest(deps: Deps, token: string, input: { status: Exclude<RsvpStatus, "needs-action">; occurrence?: string | undefined; comment?: string | undefined }, meta: RequestMeta): Promise<GuestView> {
  const view = await guestView(deps, token);
  if (!view) throw new AppError(404, "not_found", "This answer link is not valid any more: the event may have been cancelled, or you were taken off it.");
  const { guest, event } = view;
  const occurrence = answeredOccurrence(event, input.occurrence, "UTC");
  const comment = input.comment?.trim() || null;
  const next = withAnswer({ status: guest.status, comment: guest.comment, occurrenceAnswers: guest.occurrenceAnswers }, input.status, occurrence, comment);
  const now = deps.now();
  await writeTransaction(deps.db, async (tx) => {
    await tx.update(calendarGuests).set({ ...next, respondedAt: now }).where(eq(calendarGuests.id, guest.id));
    await recordAudit(tx, now, meta, { actorUserId: null, action: "calendar.rsvp.guest", targetType: "calendar_event", targetId: event.id, details: { guestId: guest.id, status: input.status, occurrence } });
    const [calendar] = await tx.select().from(calendars).where(eq(calendars.id, event.calendarId));
    if (calendar) await announce(tx, deps, calendar, { eventId: event.id, change: "rsvp" });
    if (event.createdBy) await notify(tx, deps, event.createdBy, { kind: "calendar.rsvp", title: `${guest.name || guest.email} ${input.status === "accepted" ? "accepted" : input.status === "declined" ? "declined" : "may come to"} “${event.title}”`, body: comment ?? undefined, url: `/calendar/events/${event.id}` });
  });
  return { ...view, guest: { ...guest, ...next, respondedAt: now } };
}

/** The event's guests' addresses (for the form that edits them). */
export async function guestEmailsOf(db: Pick<Deps, "db">["db"], eventId: string): Promise<string[]> {
  return (await db.select({ email: calendarGuests.email }).from(calendarGuests).where(eq(calendarGuests.eventId, eventId)).orderBy(calendarGuests.email)).map((g) => g.email);
}
