/**
 * Game sessions: schedule, start (within the live-table caps), end, list and
 * read; the table's history as each member may see it; the HTTP way to act at
 * a live table; and tickets for its WebSocket. The live table itself is the
 * session's Durable Object (src/session), reached through its stub.
 */
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { newId, nowIso } from '../db/client';
import { gameSessions, safetyLists, sessionEvents } from '../db/schema';
import { conflict, notFound, ProblemError } from '../lib/problem';
import type { Actor, ClientMessage, ErrorCode, SessionEvent, SubmitResult } from '../session/protocol';
import { gameSessionStub } from '../session/stub';
import { viewFor, visibleEventsSql } from '../session/visibility';
import { isGm, requireMember, type Member, type Role, type Viewer } from './policy';
import { indexRecapVectors, writeRecaps } from './recaps';
import { callerOf, type Scope } from './scope';

type SessionRow = typeof gameSessions.$inferSelect;
export type SessionStatus = SessionRow['status'];

/** A session as `viewer` may see it: the GM's recap only for GMs. */
export const presentSession = (s: SessionRow, viewer: Viewer) => ({
  id: s.id, campaignId: s.campaignId, title: s.title, status: s.status, scheduledFor: s.scheduledFor, startedAt: s.startedAt, endedAt: s.endedAt,
  recap: s.recap, ...(isGm(viewer) ? { gmRecap: s.gmRecap } : {}), recapStatus: s.recapStatus, recapLabel: s.recapLabel,
  stats: s.stats ?? null, createdAt: s.createdAt, updatedAt: s.updatedAt,
});

/** The session and the caller's membership of its campaign (404 for non-members, as for campaigns). */
async function loadSession(scope: Scope, sessionId: string, minRole: Role = 'spectator', write = false): Promise<{ session: SessionRow; member: Member }> {
  const session = await scope.db.select().from(gameSessions).where(eq(gameSessions.id, sessionId)).get();
  if (!session) throw notFound('Session');
  const member = await requireMember(scope, session.campaignId, minRole, write).catch((err) => {
    if (err instanceof ProblemError && err.status === 404) throw notFound('Session');
    throw err;
  });
  return { session, member };
}

const actorOf = (scope: Scope, member: Member): Actor => ({ userId: member.userId, displayName: callerOf(scope).displayName, role: member.role });

/** How a table rule's refusal maps onto a problem status. */
const ERROR_STATUS: Record<ErrorCode, number> = {
  frame_too_large: 413, rate_limited: 429, malformed_json: 400, unknown_type: 400, invalid_message: 400, invalid_roll: 400,
  invalid_action: 409, forbidden: 403, muted: 403, not_found: 404, session_ended: 409, internal: 500,
};

const busy = (detail: string) => new ProblemError(503, detail, {}, { 'Retry-After': '60' });

export async function scheduleSession(scope: Scope, campaignId: string, input: { title: string; scheduledFor?: string }) {
  const gm = await requireMember(scope, campaignId, 'gm', true);
  const now = nowIso();
  const row: SessionRow = {
    id: newId(), campaignId: gm.campaign.id, title: input.title, status: 'scheduled', scheduledFor: input.scheduledFor ?? null,
    startedAt: null, endedAt: null, recap: '', gmRecap: '', recapStatus: 'none', recapLabel: null, stats: null, connections: 0, createdBy: gm.userId, createdAt: now, updatedAt: now,
  };
  await scope.db.insert(gameSessions).values(row);
  return presentSession(row, gm);
}

export async function listSessions(scope: Scope, campaignId: string, input: { status?: SessionStatus }) {
  const member = await requireMember(scope, campaignId);
  const rows = await scope.db.select().from(gameSessions)
    .where(and(eq(gameSessions.campaignId, member.campaign.id), input.status ? eq(gameSessions.status, input.status) : undefined))
    .orderBy(desc(gameSessions.createdAt));
  return rows.map((row) => presentSession(row, member));
}

export async function getSession(scope: Scope, sessionId: string) {
  const { session, member } = await loadSession(scope, sessionId);
  let table = null;
  if (session.status === 'live') {
    // lastSeq is the caller's own position: it counts only events they may see.
    const stats = await gameSessionStub(scope.env, session.id).stats(actorOf(scope, member));
    table = { connections: stats.sockets, lastSeq: stats.lastSeq, presence: stats.presence as unknown as Record<string, unknown>[] };
  }
  return { ...presentSession(session, member), table };
}

export async function updateSession(scope: Scope, sessionId: string, input: { title?: string; scheduledFor?: string | null; recap?: string; gmRecap?: string }) {
  const { session, member } = await loadSession(scope, sessionId, 'gm', true);
  const changes = { ...input, updatedAt: nowIso() };
  await scope.db.update(gameSessions).set(changes).where(eq(gameSessions.id, session.id));
  const updated = { ...session, ...changes };
  // An edited recap is searched by its new words (the FTS index follows by trigger; the vectors here).
  if (updated.status === 'ended' && (input.recap !== undefined || input.gmRecap !== undefined || input.title !== undefined)) scope.defer(indexRecapVectors(scope, updated));
  return presentSession(updated, member);
}

/** Opens the table, within MAX_LIVE_SESSIONS_PER_CAMPAIGN and MAX_LIVE_TABLES (503 + Retry-After beyond). */
export async function startSession(scope: Scope, sessionId: string) {
  const { session, member } = await loadSession(scope, sessionId, 'gm', true);
  if (session.status !== 'scheduled') throw conflict(`The session is already ${session.status}`);
  const { config, db } = scope;
  const [inCampaign, everywhere] = await Promise.all([
    db.select({ n: count() }).from(gameSessions).where(and(eq(gameSessions.campaignId, session.campaignId), eq(gameSessions.status, 'live'))).get(),
    db.select({ n: count() }).from(gameSessions).where(eq(gameSessions.status, 'live')).get(),
  ]);
  if ((inCampaign?.n ?? 0) >= config.maxLiveSessionsPerCampaign) throw busy(`This campaign already has ${config.maxLiveSessionsPerCampaign} live sessions; end one first`);
  if ((everywhere?.n ?? 0) >= config.maxLiveTables) throw busy('All tables are busy right now; try again in a minute');
  const safety = await db.select({ lines: safetyLists.lines, veils: safetyLists.veils }).from(safetyLists).where(eq(safetyLists.campaignId, session.campaignId)).get();
  await gameSessionStub(scope.env, session.id).open(session.id, session.campaignId, safety ?? { lines: [], veils: [] });
  const now = nowIso();
  const updated = await db.update(gameSessions).set({ status: 'live', startedAt: now, updatedAt: now })
    .where(and(eq(gameSessions.id, session.id), eq(gameSessions.status, 'scheduled'))).returning();
  if (updated.length === 0) throw conflict('The session was started by someone else');
  return presentSession(updated[0]!, member);
}

/** Closes the table: the room flushes everything to D1 and closes its sockets. */
export async function endSession(scope: Scope, sessionId: string) {
  const { session, member } = await loadSession(scope, sessionId, 'gm');
  if (session.status !== 'live') throw conflict(session.status === 'ended' ? 'The session has already ended' : 'The session has not started');
  return presentSession(await closeTable(scope, session.id), member);
}

/** Closes a live table (its events flushed, its sockets told) and marks the session ended. */
async function closeTable(scope: Scope, sessionId: string) {
  // The table's statistics (natural 20s and 1s, crits, damage per player) stay with the session for its recap.
  const { stats } = await gameSessionStub(scope.env, sessionId).close();
  const now = nowIso();
  const [updated] = await scope.db.update(gameSessions).set({ status: 'ended', endedAt: now, updatedAt: now, stats, connections: 0, recapStatus: 'pending' }).where(eq(gameSessions.id, sessionId)).returning();
  // Recaps are written after the answer (a model may take a while); the session says `recapStatus: "pending"` meanwhile.
  scope.defer(writeRecaps(scope, sessionId));
  return updated!;
}

/**
 * Maintenance (no caller: the cron's system scope): ends live tables with no event since `before` (nor a start
 * after it), their events flushed first. Returns how many were ended.
 */
export async function endAbandonedTables(scope: Scope, before: string): Promise<number> {
  const live = await scope.db.select({ id: gameSessions.id, startedAt: gameSessions.startedAt }).from(gameSessions).where(eq(gameSessions.status, 'live')).limit(100);
  let ended = 0;
  for (const table of live) {
    // The room holds its newest events: flush, then look at the last one.
    await gameSessionStub(scope.env, table.id).flush();
    const last = await scope.db.select({ at: sql<string | null>`max(${sessionEvents.createdAt})` }).from(sessionEvents).where(eq(sessionEvents.sessionId, table.id)).get();
    const activity = [last?.at, table.startedAt].filter((t): t is string => Boolean(t)).sort().at(-1);
    if (activity && activity >= before) continue;
    await closeTable(scope, table.id);
    ended++;
  }
  return ended;
}

/**
 * What happened at the table, oldest first, only what the caller may see (session/visibility.ts), numbered in the
 * caller's own sequence (the same numbers the live table gives them): `after` and `seq` count only visible events.
 */
export async function sessionHistory(scope: Scope, sessionId: string, input: { after: number; limit: number; types?: string[] }) {
  const { session, member } = await loadSession(scope, sessionId);
  // Live tables hold their newest events in the Durable Object: flush them first so history is complete.
  if (session.status === 'live') await gameSessionStub(scope.env, session.id).flush();
  const types = input.types ? [...new Set(input.types)] : null;
  // The viewer's position of each event: its rank among the events they may see.
  const numbered = scope.db.select({
    payload: sessionEvents.payload, type: sessionEvents.type,
    position: sql<number>`row_number() over (order by ${sessionEvents.seq})`.as('position'),
  }).from(sessionEvents).where(and(eq(sessionEvents.sessionId, session.id), visibleEventsSql(member))).as('numbered');
  const rows = await scope.db.select().from(numbered)
    .where(and(
      sql`${numbered.position} > ${input.after}`,
      // One JSON parameter, whatever the number of types (D1 binds at most 100).
      types ? sql`${numbered.type} in (select value from json_each(${JSON.stringify(types)}))` : undefined,
    ))
    .orderBy(sql`${numbered.position}`).limit(input.limit);
  const items = rows.flatMap((r) => {
    const view = viewFor(r.payload as SessionEvent, member);
    return view ? [{ ...view, seq: r.position }] : [];
  });
  return { items, nextAfter: rows.length === input.limit ? rows[rows.length - 1]!.position : null };
}

/** Acts at a live table without a WebSocket: the same rules as a frame; answers the events the caller may see. */
export async function postToSession(scope: Scope, sessionId: string, message: ClientMessage) {
  const { session, member } = await loadSession(scope, sessionId, 'player', true);
  if (session.status !== 'live') throw conflict('The session is not live');
  // RPC typing cannot express the open-ended event records; the shape is SubmitResult.
  const result = (await gameSessionStub(scope.env, session.id).submit(actorOf(scope, member), message)) as unknown as SubmitResult;
  if (!result.ok) throw new ProblemError(ERROR_STATUS[result.error!.code] ?? 400, result.error!.message, { code: result.error!.code });
  return result.events;
}

/** A single-use, 30-second ticket for the table's WebSocket. */
export async function issueTicket(scope: Scope, sessionId: string) {
  const { session, member } = await loadSession(scope, sessionId);
  if (session.status !== 'live') throw conflict('The session is not live');
  const { ticket, expiresAt } = await gameSessionStub(scope.env, session.id).issueTicket(actorOf(scope, member));
  return { ticket, expiresAt, url: `/api/sessions/${session.id}/ws?ticket=${ticket}` };
}

/**
 * Tells every live table of the campaign that a member was removed (`role` null) or has a new role, so it
 * applies at once to their open sockets (closed, or given the new role) instead of at their next connection.
 */
export async function tellLiveTables(scope: Scope, campaignId: string, userId: string, role: Role | null): Promise<void> {
  await Promise.all((await liveTables(scope, campaignId)).map((table) => table.memberChanged(userId, role)));
}

/** The Durable Objects of the campaign's live sessions. */
async function liveTables(scope: Scope, campaignId: string) {
  const live = await scope.db.select({ id: gameSessions.id }).from(gameSessions)
    .where(and(eq(gameSessions.campaignId, campaignId), eq(gameSessions.status, 'live')));
  return live.map((s) => gameSessionStub(scope.env, s.id));
}

/** Tells every live table of the campaign its new lines and veils. */
export async function tellTablesSafety(scope: Scope, campaignId: string, lists: { lines: string[]; veils: string[] }): Promise<void> {
  await Promise.all((await liveTables(scope, campaignId)).map((table) => table.safetyChanged(lists)));
}

/** A session's status, with no caller: the socket route checks it before the room is touched (the ticket authenticates). */
export async function sessionStatus(scope: Scope, sessionId: string): Promise<SessionStatus | null> {
  const row = await scope.db.select({ status: gameSessions.status }).from(gameSessions).where(eq(gameSessions.id, sessionId)).get();
  return row?.status ?? null;
}
