// Conversations: who may read them (the stream's channels and every lookup), creating the three
// kinds, renaming, archiving, and the members of a group. Reads a snapshot, decides with
// chat-rules.ts, writes with the events that announce the change in the same transaction.
import { and, asc, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { Deps } from "../../deps";
import { writeTransaction } from "../../db/transaction";
import type { Db, Tx } from "../../db/types";
import { newId } from "../../lib/crypto";
import { AppError, validationError } from "../../lib/errors";
import { recordAudit, type RequestMeta } from "../audit";
import { users } from "../auth";
import { businessCoMembers, businessPlacesOf, listUnits, selectMembers, type BusinessPlace } from "../workspace";
import { householdCoMembers, householdPlacesOf, listHouseholdMembers, type HouseholdPlace } from "../households";
import { accessChanged, channel, publish } from "../realtime";
import { countChatWrite } from "./chat-limits";
import { directKey, groupMemberErrors, mayCreateChannel, mayManage, mayRead, MAX_GROUP_MEMBERS, type Standing } from "./chat-rules";
import { conversationMembers, conversationReads, conversations, messages, type ContextType, type ConversationRow } from "./schema";

/** A conversation as the caller sees it. */
export interface ConversationView {
  id: string;
  kind: ConversationRow["kind"];
  /** The name to show: a group's or channel's own, or for a direct conversation the other person's. */
  title: string;
  name: string;
  context: { type: ContextType; id: string; name: string } | null;
  rules: { allowedRoles: string[]; allowedDepartments: string[]; allowedPositions: string[] };
  archived: boolean;
  lastSeq: number;
  lastMessageAt: string | null;
  unread: number;
  createdAt: string;
}

export const notFound = () => new AppError(404, "not_found", "There is no such conversation, or you cannot read it.");

/** Where the caller stands, read for these conversations' contexts (two queries, whatever the number). */
/** Where a user stands in each of their businesses and households (or in those named). */
export interface Places {
  businesses: Map<string, BusinessPlace>;
  households: Map<string, HouseholdPlace>;
}

async function placesOf(db: Db | Tx, userId: string, only?: { businessIds: string[]; householdIds: string[] }): Promise<Places> {
  const [businesses, households] = await Promise.all([businessPlacesOf(db, userId, only?.businessIds), householdPlacesOf(db, userId, only?.householdIds)]);
  return { businesses, households };
}

/** `places` when the caller has read them already (a list reads them once for every step). */
async function standings(db: Db | Tx, userId: string, rows: ConversationRow[], places?: Places) {
  const businessIds = [...new Set(rows.filter((row) => row.contextType === "business").map((row) => row.contextId!))];
  const householdIds = [...new Set(rows.filter((row) => row.contextType === "household").map((row) => row.contextId!))];
  const groupIds = rows.filter((row) => row.kind !== "channel").map((row) => row.id);
  const [{ businesses, households }, memberOf] = await Promise.all([
    places ?? placesOf(db, userId, { businessIds, householdIds }),
    groupIds.length
      ? db.select({ id: conversationMembers.conversationId }).from(conversationMembers).where(and(eq(conversationMembers.userId, userId), inArray(conversationMembers.conversationId, groupIds)))
      : Promise.resolve([]),
  ]);
  const member = new Set(memberOf.map((row) => row.id));
  return (row: ConversationRow): Standing => ({
    userId,
    isMember: member.has(row.id),
    business: row.contextType === "business" ? (businesses.get(row.contextId!) ?? null) : null,
    household: row.contextType === "household" ? (households.get(row.contextId!) ?? null) : null,
  });
}

/** The conversation and where the caller stands in it; 404 when it is missing or they may not read it. */
export async function openConversation(db: Db | Tx, userId: string, conversationId: string): Promise<{ conversation: ConversationRow; standing: Standing }> {
  const [conversation] = await db.select().from(conversations).where(eq(conversations.id, conversationId)).limit(1);
  if (!conversation) throw notFound();
  const standing = (await standings(db, userId, [conversation]))(conversation);
  if (!mayRead(conversation, standing)) throw notFound();
  return { conversation, standing };
}

/** Every conversation the user may read: their groups and direct conversations, and the channels of their contexts that admit them. */
export async function readableConversations(db: Db, userId: string, places?: Places): Promise<ConversationRow[]> {
  places ??= await placesOf(db, userId);
  const { businesses, households } = places;
  const theirs = db.select({ id: conversationMembers.conversationId }).from(conversationMembers).where(eq(conversationMembers.userId, userId));
  const contexts = [
    businesses.size ? and(eq(conversations.contextType, "business"), inArray(conversations.contextId, [...businesses.keys()])) : undefined,
    households.size ? and(eq(conversations.contextType, "household"), inArray(conversations.contextId, [...households.keys()])) : undefined,
  ].filter((part) => part !== undefined);
  const rows = await db
    .select()
    .from(conversations)
    .where(or(inArray(conversations.id, theirs), contexts.length ? and(eq(conversations.kind, "channel"), or(...contexts)) : undefined))
    .orderBy(desc(sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`));
  const standingOf = await standings(db, userId, rows, places);
  return rows.filter((row) => mayRead(row, standingOf(row)));
}

/** The live stream's conversation channels for a user. */
export async function conversationChannels(deps: Pick<Deps, "db">, userId: string): Promise<string[]> {
  return (await readableConversations(deps.db, userId)).map((row) => channel.conversation(row.id));
}

/** Views of these conversations for this user: titles, context names and unread counts. */
export async function describeConversations(db: Db, userId: string, rows: ConversationRow[], places?: Places): Promise<ConversationView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const directIds = rows.filter((row) => row.kind === "direct").map((row) => row.id);
  const [unread, others, { businesses, households }] = await Promise.all([
    unreadCounts(db, userId, ids),
    directIds.length
      ? db
          .select({ conversationId: conversationMembers.conversationId, name: users.name })
          .from(conversationMembers)
          .innerJoin(users, eq(users.id, conversationMembers.userId))
          .where(and(inArray(conversationMembers.conversationId, directIds), sql`${conversationMembers.userId} <> ${userId}`))
      : Promise.resolve([]),
    places ?? placesOf(db, userId),
  ]);
  const otherName = new Map(others.map((row) => [row.conversationId, row.name]));
  return rows.map((row) => {
    const contextName = row.contextType === "business" ? businesses.get(row.contextId!)?.name : row.contextType === "household" ? households.get(row.contextId!)?.name : undefined;
    return {
      id: row.id,
      kind: row.kind,
      title: row.kind === "direct" ? (otherName.get(row.id) ?? "Former member") : row.name,
      name: row.name,
      context: row.contextType && row.contextId ? { type: row.contextType, id: row.contextId, name: contextName ?? "" } : null,
      rules: { allowedRoles: row.allowedRoles, allowedDepartments: row.allowedDepartments, allowedPositions: row.allowedPositions },
      archived: row.archivedAt !== null,
      lastSeq: row.lastSeq,
      lastMessageAt: row.lastMessageAt === null ? null : new Date(row.lastMessageAt).toISOString(),
      unread: unread.get(row.id) ?? 0,
      createdAt: new Date(row.createdAt).toISOString(),
    };
  });
}

/** Messages of others after the user's read mark, per conversation (deleted ones do not count). */
export async function unreadCounts(db: Db, userId: string, conversationIds: string[]): Promise<Map<string, number>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await db
    .select({ id: messages.conversationId, n: sql<number>`count(*)` })
    .from(messages)
    .leftJoin(conversationReads, and(eq(conversationReads.conversationId, messages.conversationId), eq(conversationReads.userId, userId)))
    .where(
      and(
        inArray(messages.conversationId, conversationIds),
        sql`${messages.seq} > coalesce(${conversationReads.lastReadSeq}, 0)`,
        sql`(${messages.authorId} is null or ${messages.authorId} <> ${userId})`,
        sql`${messages.deletedAt} is null`,
      ),
    )
    .groupBy(messages.conversationId);
  return new Map(rows.map((row) => [row.id, Number(row.n)]));
}

export async function listConversations(deps: Pick<Deps, "db">, userId: string, filter: { contextType?: ContextType; contextId?: string } = {}): Promise<ConversationView[]> {
  // The person's places are read once, for choosing, checking and naming the conversations.
  const places = await placesOf(deps.db, userId);
  let rows = await readableConversations(deps.db, userId, places);
  if (filter.contextType) rows = rows.filter((row) => row.contextType === filter.contextType && row.contextId === filter.contextId);
  return describeConversations(deps.db, userId, rows, places);
}

export async function getConversation(deps: Pick<Deps, "db">, userId: string, conversationId: string): Promise<{ view: ConversationView; standing: Standing; row: ConversationRow }> {
  const { conversation, standing } = await openConversation(deps.db, userId, conversationId);
  const [view] = await describeConversations(deps.db, userId, [conversation]);
  return { view: view!, standing, row: conversation };
}

/** The people in a conversation: its members, or for a channel everyone its rules admit. */
export async function conversationPeople(db: Db, conversation: ConversationRow): Promise<Array<{ id: string; name: string }>> {
  if (conversation.kind !== "channel") {
    return db
      .select({ id: users.id, name: users.name })
      .from(conversationMembers)
      .innerJoin(users, eq(users.id, conversationMembers.userId))
      .where(eq(conversationMembers.conversationId, conversation.id))
      .orderBy(asc(users.name));
  }
  return channelReaders(db, conversation);
}

async function channelReaders(db: Db, conversation: ConversationRow): Promise<Array<{ id: string; name: string }>> {
  if (conversation.contextType === "household") {
    return (await listHouseholdMembers({ db }, conversation.contextId!)).map((member) => ({ id: member.userId, name: member.name }));
  }
  const members = await selectMembers(db, conversation.contextId!);
  return members
    .filter((member) => mayRead(conversation, { userId: member.userId, isMember: false, business: { role: member.role, departmentId: member.department?.id ?? null, positionId: member.position?.id ?? null } }))
    .map((member) => ({ id: member.userId, name: member.name }));
}

export interface CreateInput {
  type: ConversationRow["kind"];
  userIds?: string[];
  name?: string;
  contextType?: ContextType;
  contextId?: string;
  allowedRoles?: string[];
  allowedDepartments?: string[];
  allowedPositions?: string[];
}

/** Creates a conversation; a direct one that already exists is returned instead (`created: false`). */
export async function createConversation(deps: Deps, userId: string, input: CreateInput, meta: RequestMeta): Promise<{ conversation: ConversationView; created: boolean }> {
  const created = await writeTransaction(deps.db, async (tx) => {
    const now = deps.now();
    await countChatWrite(tx, deps, userId, "create", now);
    if (input.type === "direct") return createDirect(tx, deps, userId, input, now);
    if (input.type === "group") return createGroup(tx, deps, userId, input, now);
    return createChannel(tx, deps, userId, input, now, meta);
  });
  const [view] = await describeConversations(deps.db, userId, [created.row]);
  return { conversation: view!, created: created.created };
}

/** People who share a business or household with `userId`, among `others`. */
async function reachable(tx: Tx, userId: string, others: string[]): Promise<Set<string>> {
  const [viaBusiness, viaHousehold] = await Promise.all([businessCoMembers(tx, userId, others), householdCoMembers(tx, userId, others)]);
  return new Set([...viaBusiness, ...viaHousehold]);
}

async function createDirect(tx: Tx, deps: Deps, userId: string, input: CreateInput, now: number) {
  const others = [...new Set(input.userIds ?? [])].filter((id) => id !== userId);
  if (others.length !== 1 || (input.userIds ?? []).length !== 1) throw validationError({ userIds: ["A direct conversation is with exactly one other person."] });
  const other = others[0]!;
  const key = directKey(userId, other);
  const [existing] = await tx.select().from(conversations).where(eq(conversations.directKey, key)).limit(1);
  if (existing) return { row: existing, created: false };
  if (!(await reachable(tx, userId, [other])).has(other)) throw validationError({ userIds: ["You can only message people who share a business or household with you."] });
  const row = conversationRow("direct", "", userId, now, { directKey: key });
  await tx.insert(conversations).values(row);
  await tx.insert(conversationMembers).values([userId, other].map((id) => ({ conversationId: row.id, userId: id, joinedAt: now })));
  await accessChanged(tx, deps, [userId, other]);
  return { row, created: true };
}

async function createGroup(tx: Tx, deps: Deps, userId: string, input: CreateInput, now: number) {
  const others = [...new Set(input.userIds ?? [])].filter((id) => id !== userId);
  if (others.length === 0) throw validationError({ userIds: ["Add at least one other person."] });
  const errors = groupMemberErrors(new Set([userId]), others, await reachable(tx, userId, others));
  if (errors.length) throw validationError({ userIds: errors });
  const row = conversationRow("group", input.name ?? "", userId, now);
  await tx.insert(conversations).values(row);
  await tx.insert(conversationMembers).values([userId, ...others].map((id) => ({ conversationId: row.id, userId: id, joinedAt: now })));
  await accessChanged(tx, deps, [userId, ...others]);
  return { row, created: true };
}

async function createChannel(tx: Tx, deps: Deps, userId: string, input: CreateInput, now: number, meta: RequestMeta) {
  if (!input.contextType || !input.contextId) throw validationError({ contextId: ["A channel belongs to a business or household: give contextType and contextId."] });
  if (!input.name) throw validationError({ name: ["Give the channel a name."] });
  const standing = await contextStanding(tx, userId, input.contextType, input.contextId);
  if (!standing.business && !standing.household) throw new AppError(404, "not_found", `There is no such ${input.contextType}, or you are not a member of it.`);
  if (!mayCreateChannel(standing)) throw new AppError(403, "forbidden", input.contextType === "business" ? "Only business admins and owners create channels." : "Only household owners and adults create channels.");
  const rules = { allowedRoles: input.allowedRoles ?? [], allowedDepartments: input.allowedDepartments ?? [], allowedPositions: input.allowedPositions ?? [] };
  if (input.contextType === "business") await checkRules(tx, input.contextId, rules);
  else if (rules.allowedRoles.length + rules.allowedDepartments.length + rules.allowedPositions.length) throw validationError({ allowedRoles: ["A household channel is read by the whole household."] });
  const row = conversationRow("channel", input.name, userId, now, { contextType: input.contextType, contextId: input.contextId, ...rules });
  await tx.insert(conversations).values(row);
  const context = channel.space(input.contextType, input.contextId);
  await accessChanged(tx, deps, [], [context]);
  await recordAudit(tx, now, meta, { actorUserId: userId, action: "chat.channel_create", targetType: input.contextType, targetId: input.contextId, details: { conversationId: row.id, name: row.name, ...rules } });
  return { row, created: true };
}

async function contextStanding(db: Db | Tx, userId: string, type: ContextType, id: string): Promise<Pick<Standing, "business" | "household">> {
  if (type === "business") return { business: (await businessPlacesOf(db, userId, [id])).get(id) ?? null };
  return { household: (await householdPlacesOf(db, userId, [id])).get(id) ?? null };
}

async function checkRules(tx: Tx, businessId: string, rules: { allowedRoles: string[]; allowedDepartments: string[]; allowedPositions: string[] }) {
  const [departments, positions] = await Promise.all([listUnits({ db: tx as unknown as Db }, businessId, "department"), listUnits({ db: tx as unknown as Db }, businessId, "position")]);
  const known = { allowedRoles: new Set(["owner", "admin", "manager", "member"]), allowedDepartments: new Set(departments.map((u) => u.id)), allowedPositions: new Set(positions.map((u) => u.id)) };
  const errors: Record<string, string[]> = {};
  for (const field of ["allowedRoles", "allowedDepartments", "allowedPositions"] as const) {
    const bad = rules[field].filter((value) => !known[field].has(value));
    if (bad.length) errors[field] = bad.map((value) => `“${value}” is not ${field === "allowedRoles" ? "a role" : field === "allowedDepartments" ? "a department of this business" : "a position of this business"}.`);
  }
  if (Object.keys(errors).length) throw validationError(errors);
}

function conversationRow(kind: ConversationRow["kind"], name: string, userId: string, now: number, extra: Partial<ConversationRow> = {}): ConversationRow {
  return {
    id: newId(),
    kind,
    name,
    contextType: null,
    contextId: null,
    allowedRoles: [],
    allowedDepartments: [],
    allowedPositions: [],
    directKey: null,
    createdBy: userId,
    createdAt: now,
    updatedAt: now,
    archivedAt: null,
    lastSeq: 0,
    lastMessageAt: null,
    ...extra,
  };
}

/** Rename and archive (or bring back): a group's members, a channel's admins. */
export async function updateConversation(deps: Deps, userId: string, conversationId: string, patch: { name?: string; archived?: boolean }, meta: RequestMeta): Promise<ConversationView> {
  const row = await writeTransaction(deps.db, async (tx) => {
    const { conversation, standing } = await openConversation(tx, userId, conversationId);
    if (!mayManage(conversation, standing)) throw new AppError(403, "forbidden", conversation.kind === "direct" ? "A direct conversation cannot be renamed or archived." : "Only the people who run this conversation may change it.");
    const now = deps.now();
    const changes: Partial<ConversationRow> = { updatedAt: now };
    if (patch.name !== undefined) {
      if (conversation.kind === "channel" && patch.name === "") throw validationError({ name: ["A channel needs a name."] });
      changes.name = patch.name;
    }
    if (patch.archived !== undefined) changes.archivedAt = patch.archived ? (conversation.archivedAt ?? now) : null;
    const [updated] = await tx.update(conversations).set(changes).where(eq(conversations.id, conversationId)).returning();
    await publish(tx, deps, { channel: channel.conversation(conversationId), type: "chat.conversation.updated", payload: { conversationId } });
    if (conversation.kind === "channel") {
      await recordAudit(tx, now, meta, { actorUserId: userId, action: "chat.channel_update", targetType: conversation.contextType!, targetId: conversation.contextId!, details: { conversationId, ...patch } });
    }
    return updated!;
  });
  return (await describeConversations(deps.db, userId, [row]))[0]!;
}

/** Adds people to a group (any member may, up to 50 people who share a context with them). */
export async function addPeople(deps: Deps, userId: string, conversationId: string, userIds: string[]): Promise<void> {
  await writeTransaction(deps.db, async (tx) => {
    const { conversation, standing } = await openConversation(tx, userId, conversationId);
    if (conversation.kind !== "group") throw new AppError(409, "not_a_group", conversation.kind === "channel" ? "A channel's readers come from its rules, not from a list." : "A direct conversation stays between two people; start a group instead.");
    if (!mayManage(conversation, standing)) throw notFound();
    if (conversation.archivedAt !== null) throw archived();
    const current = new Set((await tx.select({ id: conversationMembers.userId }).from(conversationMembers).where(eq(conversationMembers.conversationId, conversationId))).map((row) => row.id));
    const adding = [...new Set(userIds)].filter((id) => !current.has(id));
    const errors = groupMemberErrors(current, adding, await reachable(tx, userId, adding));
    if (errors.length) throw validationError({ userIds: errors });
    if (adding.length === 0) return;
    await tx.insert(conversationMembers).values(adding.map((id) => ({ conversationId, userId: id, joinedAt: deps.now() })));
    await publish(tx, deps, { channel: channel.conversation(conversationId), type: "chat.conversation.updated", payload: { conversationId } });
    await accessChanged(tx, deps, adding);
  });
}

/** Removes someone from a group: themselves (leaving), or anyone when the remover started the group. */
export async function removePerson(deps: Deps, userId: string, conversationId: string, targetId: string): Promise<void> {
  await writeTransaction(deps.db, async (tx) => {
    const { conversation } = await openConversation(tx, userId, conversationId);
    if (conversation.kind !== "group") throw new AppError(409, "not_a_group", "Only a group's people can be changed; a channel's readers come from its rules.");
    if (targetId !== userId && conversation.createdBy !== userId) throw new AppError(403, "forbidden", "Only the person who started the group may remove others; anyone may leave.");
    const removed = await tx
      .delete(conversationMembers)
      .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, targetId)))
      .returning({ id: conversationMembers.userId });
    if (removed.length === 0) throw new AppError(404, "not_found", "That person is not in this conversation.");
    await tx.delete(conversationReads).where(and(eq(conversationReads.conversationId, conversationId), eq(conversationReads.userId, targetId)));
    await publish(tx, deps, { channel: channel.conversation(conversationId), type: "chat.conversation.updated", payload: { conversationId } });
    await accessChanged(tx, deps, [targetId]);
  });
}

export const archived = () => new AppError(409, "archived", "This conversation is archived: it can be read, not written to.");
export { MAX_GROUP_MEMBERS };

/** People the user may start a conversation with (who share a business or household), with where they know them from. */
export async function contactsOf(db: Db, userId: string): Promise<Array<{ id: string; name: string; via: string }>> {
  const [businesses, households] = await Promise.all([businessPlacesOf(db, userId), householdPlacesOf(db, userId)]);
  const found = new Map<string, { id: string; name: string; via: string[] }>();
  const add = (id: string, name: string, place: string) => {
    if (id === userId) return;
    const entry = found.get(id) ?? { id, name, via: [] };
    entry.via.push(place);
    found.set(id, entry);
  };
  for (const [id, place] of businesses) for (const member of await selectMembers(db, id)) add(member.userId, member.name, place.name);
  for (const [id, place] of households) for (const member of await listHouseholdMembers({ db }, id)) add(member.userId, member.name, place.name);
  return [...found.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, 500)
    .map((entry) => ({ id: entry.id, name: entry.name, via: entry.via.join(" · ") }));
}

/** Where the user may create channels: businesses they run (with their departments) and households where they are an owner or adult. */
export async function channelPlacesOf(db: Db, userId: string): Promise<Array<{ value: string; label: string; departments: Array<{ id: string; name: string }> }>> {
  const [businesses, households] = await Promise.all([businessPlacesOf(db, userId), householdPlacesOf(db, userId)]);
  const places: Array<{ value: string; label: string; departments: Array<{ id: string; name: string }> }> = [];
  for (const [id, place] of businesses) {
    if (!mayCreateChannel({ business: place })) continue;
    const departments = await listUnits({ db }, id, "department");
    places.push({ value: `business:${id}`, label: place.name, departments: departments.map((unit) => ({ id: unit.id, name: unit.name })) });
  }
  for (const [id, place] of households) if (mayCreateChannel({ household: place })) places.push({ value: `household:${id}`, label: place.name, departments: [] });
  return places;
}
