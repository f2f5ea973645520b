/**
 * Game sessions: schedule, start, end, list and read; message history; the
 * HTTP way to chat or roll; and tickets for the table's WebSocket.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { principalOf } from '../auth/authenticate';
import { requireMember, type Role, type Viewer as CampaignViewer } from '../campaigns/access';
import { newId, nowIso } from '../db/client';
import { gameSessions, sessionEvents } from '../db/schema';
import type { AppEnv } from '../http/app-env';
import { conflict, notFound, ProblemError } from '../http/problem';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';
import { ClientMessageSchema, HTTP_MESSAGE_TYPES, type Actor, type ErrorCode, type SessionEvent } from '../session/protocol';
import type { SubmitResult } from '../session/game-session';
import { gameSessionStub } from '../session/stub';
import { viewFor } from '../session/visibility';

type SessionRow = typeof gameSessions.$inferSelect;

const GameSessionSchema = z.object({
  id: z.string(), campaignId: z.string(), title: z.string(), status: z.enum(['scheduled', 'live', 'ended']),
  scheduledFor: z.string().nullable(), startedAt: z.string().nullable(), endedAt: z.string().nullable(), recap: z.string(),
  createdAt: z.string(), updatedAt: z.string(),
}).openapi('GameSession');
const EventSchema = z.record(z.string(), z.unknown()).openapi('SessionEvent', { description: 'A logged table event (see src/session/protocol.ts)' });
const SessionParams = z.object({ sessionId: IdParam });

const present = (s: SessionRow) => ({
  id: s.id, campaignId: s.campaignId, title: s.title, status: s.status, scheduledFor: s.scheduledFor, startedAt: s.startedAt, endedAt: s.endedAt,
  recap: s.recap, createdAt: s.createdAt, updatedAt: s.updatedAt,
});

/** The session and the caller's membership of its campaign (404 for non-members, as for campaigns). */
async function loadSession(c: Context<AppEnv>, sessionId: string, minRole: Role = 'spectator', write = false): Promise<{ session: SessionRow; viewer: CampaignViewer }> {
  const session = await c.get('db').select().from(gameSessions).where(eq(gameSessions.id, sessionId)).get();
  if (!session) throw notFound('Session');
  const viewer = await requireMember(c, session.campaignId, minRole, write).catch((err) => {
    if (err instanceof ProblemError && err.status === 404) throw notFound('Session');
    throw err;
  });
  return { session, viewer };
}

const actorOf = (c: Context<AppEnv>, viewer: CampaignViewer): Actor => ({ userId: viewer.userId, displayName: principalOf(c).displayName, role: viewer.role });

const ERROR_STATUS: Record<ErrorCode, number> = {
  frame_too_large: 413, rate_limited: 429, malformed_json: 400, unknown_type: 400, invalid_message: 400, invalid_roll: 400,
  invalid_action: 409, forbidden: 403, not_found: 404, session_ended: 409, internal: 500,
};

function serviceUnavailable(detail: string): ProblemError {
  return new ProblemError(503, detail, {}, { 'Retry-After': '60' });
}

export const sessionRoutes = createRouter();

sessionRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/sessions', tags: ['Sessions'], summary: 'Schedule a game session (GM)', security: bearerSecurity,
    request: { params: CampaignParams, body: jsonBody(z.object({ title: z.string().trim().min(1).max(200), scheduledFor: z.string().datetime().optional() })) },
    responses: { 201: jsonResponse(GameSessionSchema, 'Scheduled'), ...commonErrors },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId, 'gm', true);
    const body = c.req.valid('json');
    const now = nowIso();
    const row: SessionRow = {
      id: newId(), campaignId: viewer.campaign.id, title: body.title, status: 'scheduled', scheduledFor: body.scheduledFor ?? null,
      startedAt: null, endedAt: null, recap: '', createdBy: viewer.userId, createdAt: now, updatedAt: now,
    };
    await c.get('db').insert(gameSessions).values(row);
    return c.json(present(row), 201);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/sessions', tags: ['Sessions'], summary: "The campaign's sessions, newest first", security: bearerSecurity,
    request: { params: CampaignParams, query: z.object({ status: z.enum(['scheduled', 'live', 'ended']).optional() }) },
    responses: { 200: jsonResponse(z.object({ items: z.array(GameSessionSchema) }), 'Sessions'), ...commonErrors },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId);
    const { status } = c.req.valid('query');
    const rows = await c.get('db').select().from(gameSessions)
      .where(and(eq(gameSessions.campaignId, viewer.campaign.id), status ? eq(gameSessions.status, status) : undefined))
      .orderBy(desc(gameSessions.createdAt));
    return c.json({ items: rows.map(present) }, 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'get', path: '/sessions/{sessionId}', tags: ['Sessions'], summary: 'A session, with who is at the table when live', security: bearerSecurity,
    request: { params: SessionParams },
    responses: {
      200: jsonResponse(GameSessionSchema.extend({
        table: z.object({ connections: z.number().int(), lastSeq: z.number().int(), presence: z.array(z.record(z.string(), z.unknown())) }).nullable(),
      }), 'The session'),
      ...commonErrors,
    },
  }),
  async (c) => {
    const { session } = await loadSession(c, c.req.valid('param').sessionId);
    let table = null;
    if (session.status === 'live') {
      const stats = await gameSessionStub(c.env, session.id).stats();
      table = { connections: stats.sockets, lastSeq: stats.lastSeq, presence: stats.presence as unknown as Record<string, unknown>[] };
    }
    return c.json({ ...present(session), table }, 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'patch', path: '/sessions/{sessionId}', tags: ['Sessions'], summary: 'Rename, reschedule or write the recap (GM)', security: bearerSecurity,
    request: { params: SessionParams, body: jsonBody(z.object({ title: z.string().trim().min(1).max(200).optional(), scheduledFor: z.string().datetime().nullable().optional(), recap: z.string().max(50_000).optional() })) },
    responses: { 200: jsonResponse(GameSessionSchema, 'Updated'), ...commonErrors },
  }),
  async (c) => {
    const { session } = await loadSession(c, c.req.valid('param').sessionId, 'gm', true);
    const changes = { ...c.req.valid('json'), updatedAt: nowIso() };
    await c.get('db').update(gameSessions).set(changes).where(eq(gameSessions.id, session.id));
    return c.json(present({ ...session, ...changes }), 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'post', path: '/sessions/{sessionId}/start', tags: ['Sessions'], summary: 'Open the table (GM)', security: bearerSecurity,
    request: { params: SessionParams },
    responses: {
      200: jsonResponse(GameSessionSchema, 'Live'),
      503: { description: 'Too many live tables (campaign or platform); see Retry-After', content: commonErrors[409].content },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { session } = await loadSession(c, c.req.valid('param').sessionId, 'gm', true);
    if (session.status !== 'scheduled') throw conflict(`The session is already ${session.status}`);
    const config = c.get('config');
    const db = c.get('db');
    const [inCampaign, everywhere] = await Promise.all([
      db.select({ n: count() }).from(gameSessions).where(and(eq(gameSessions.campaignId, session.campaignId), eq(gameSessions.status, 'live'))).get(),
      db.select({ n: count() }).from(gameSessions).where(eq(gameSessions.status, 'live')).get(),
    ]);
    if ((inCampaign?.n ?? 0) >= config.maxLiveSessionsPerCampaign) {
      throw serviceUnavailable(`This campaign already has ${config.maxLiveSessionsPerCampaign} live sessions; end one first`);
    }
    if ((everywhere?.n ?? 0) >= config.maxLiveTables) throw serviceUnavailable('All tables are busy right now; try again in a minute');
    await gameSessionStub(c.env, session.id).open(session.id, session.campaignId);
    const now = nowIso();
    const updated = await db.update(gameSessions).set({ status: 'live', startedAt: now, updatedAt: now })
      .where(and(eq(gameSessions.id, session.id), eq(gameSessions.status, 'scheduled'))).returning();
    if (updated.length === 0) throw conflict('The session was started by someone else');
    return c.json(present(updated[0]!), 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'post', path: '/sessions/{sessionId}/end', tags: ['Sessions'], summary: 'Close the table: everything said is saved (GM)', security: bearerSecurity,
    request: { params: SessionParams },
    responses: { 200: jsonResponse(GameSessionSchema, 'Ended'), ...commonErrors },
  }),
  async (c) => {
    const { session } = await loadSession(c, c.req.valid('param').sessionId, 'gm');
    if (session.status !== 'live') throw conflict(session.status === 'ended' ? 'The session has already ended' : 'The session has not started');
    await gameSessionStub(c.env, session.id).close();
    const now = nowIso();
    const [updated] = await c.get('db').update(gameSessions).set({ status: 'ended', endedAt: now, updatedAt: now }).where(eq(gameSessions.id, session.id)).returning();
    return c.json(present(updated!), 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'get', path: '/sessions/{sessionId}/messages', tags: ['Sessions'],
    summary: 'What happened at the table, oldest first, paged by sequence number (only what you may see)', security: bearerSecurity,
    request: {
      params: SessionParams,
      query: z.object({
        after: z.coerce.number().int().min(0).default(0).describe('Return events with seq greater than this'),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        types: z.string().regex(/^[a-z.]+(,[a-z.]+)*$/).max(200).optional().describe('Comma-separated event types, e.g. chat,roll (bound as one JSON list, so any number fits)'),
      }),
    },
    responses: { 200: jsonResponse(z.object({ items: z.array(EventSchema), nextAfter: z.number().int().nullable() }), 'Events'), ...commonErrors },
  }),
  async (c) => {
    const { session, viewer } = await loadSession(c, c.req.valid('param').sessionId);
    const { after, limit, types } = c.req.valid('query');
    // Live tables hold their newest events in the Durable Object: flush them first so history is complete.
    if (session.status === 'live') await gameSessionStub(c.env, session.id).flush();
    const visible = viewer.role === 'gm'
      ? sql`${sessionEvents.audience} in ('all', 'gm') or exists (select 1 from json_each(${sessionEvents.recipients}) where value = ${viewer.userId})`
      : sql`${sessionEvents.audience} = 'all' or (${sessionEvents.audience} = 'gm' and ${sessionEvents.actorUserId} = ${viewer.userId}) or exists (select 1 from json_each(${sessionEvents.recipients}) where value = ${viewer.userId})`;
    const typeList = types?.split(',');
    const rows = await c.get('db').select({ payload: sessionEvents.payload, seq: sessionEvents.seq }).from(sessionEvents)
      .where(and(eq(sessionEvents.sessionId, session.id), sql`${sessionEvents.seq} > ${after}`, sql`(${visible})`, typeList ? sql`${sessionEvents.type} in (select value from json_each(${JSON.stringify([...new Set(typeList)])}))` : undefined))
      .orderBy(sessionEvents.seq).limit(limit);
    const items = rows.map((r) => viewFor({ ...(r.payload as SessionEvent), seq: r.seq }, viewer)).filter((e): e is SessionEvent => e !== null);
    return c.json({ items, nextAfter: rows.length === limit ? rows[rows.length - 1]!.seq : null }, 200);
  },
);

const HttpMessageSchema = z.discriminatedUnion('type', ClientMessageSchema.options.filter((o) => (HTTP_MESSAGE_TYPES as readonly string[]).includes(o.shape.type.value)) as unknown as [typeof ClientMessageSchema.options[1], ...typeof ClientMessageSchema.options[number][]]);

sessionRoutes.openapi(
  createRoute({
    method: 'post', path: '/sessions/{sessionId}/messages', tags: ['Sessions'],
    summary: 'Chat, whisper, roll or add a note without a WebSocket (players and GMs)', security: bearerSecurity,
    request: { params: SessionParams, body: { required: true, content: { 'application/json': { schema: HttpMessageSchema } } } },
    responses: { 201: jsonResponse(z.object({ events: z.array(EventSchema) }), 'Accepted; the events you may see'), ...commonErrors },
  }),
  async (c) => {
    const { session, viewer } = await loadSession(c, c.req.valid('param').sessionId, 'player', true);
    if (session.status !== 'live') throw conflict('The session is not live');
    // RPC typing cannot express the open-ended event records; the shape is SubmitResult.
    const result = (await gameSessionStub(c.env, session.id).submit(actorOf(c, viewer), c.req.valid('json'))) as unknown as SubmitResult;
    if (!result.ok) throw new ProblemError(ERROR_STATUS[result.error!.code] ?? 400, result.error!.message, { code: result.error!.code });
    return c.json({ events: result.events }, 201);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'post', path: '/sessions/{sessionId}/tickets', tags: ['Sessions'],
    summary: 'A single-use, 30-second ticket to open the table WebSocket (browsers cannot send Authorization on WebSockets)', security: bearerSecurity,
    request: { params: SessionParams },
    responses: { 201: jsonResponse(z.object({ ticket: z.string(), expiresAt: z.string(), url: z.string() }), 'Connect to `url` within 30 s'), ...commonErrors },
  }),
  async (c) => {
    const { session, viewer } = await loadSession(c, c.req.valid('param').sessionId);
    if (session.status !== 'live') throw conflict('The session is not live');
    const { ticket, expiresAt } = await gameSessionStub(c.env, session.id).issueTicket(actorOf(c, viewer));
    return c.json({ ticket, expiresAt, url: `/api/sessions/${session.id}/ws?ticket=${ticket}` }, 201);
  },
);
