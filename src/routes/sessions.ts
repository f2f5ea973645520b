/**
 * Game sessions: schedule, start, end, list and read; message history; the
 * HTTP way to chat or roll; and tickets for the table's WebSocket.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { endSession, getSession, issueTicket, listSessions, postToSession, scheduleSession, sessionHistory, startSession, updateSession } from '../services/sessions';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';
import { ClientMessageSchema, HTTP_MESSAGE_TYPES } from '../session/protocol';
import { searchRecaps } from '../services/recaps';

const GameSessionSchema = z.object({
  id: z.string(), campaignId: z.string(), title: z.string(), status: z.enum(['scheduled', 'live', 'ended']),
  scheduledFor: z.string().nullable(), startedAt: z.string().nullable(), endedAt: z.string().nullable(),
  recap: z.string().describe('The player-safe recap, written when the session ends (or by the GM)'),
  gmRecap: z.string().optional().describe('The GM\'s recap, from the whole log (GMs only)'),
  recapStatus: z.enum(['none', 'pending', 'ready', 'failed']), recapLabel: z.string().nullable().describe('Who wrote the recaps: a model, or the automatic summary of the log'),
  stats: z.record(z.string(), z.unknown()).nullable().describe('Per player, once the session ended: rolls, natural 20s and 1s, crits, damage dealt and taken'),
  createdAt: z.string(), updatedAt: z.string(),
}).openapi('GameSession');
const EventSchema = z.record(z.string(), z.unknown()).openapi('SessionEvent', { description: 'A logged table event (see src/session/protocol.ts)' });
const SessionParams = z.object({ sessionId: IdParam });

export const sessionRoutes = createRouter();

sessionRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/sessions', tags: ['Sessions'], summary: 'Schedule a game session (GM)', security: bearerSecurity,
    request: { params: CampaignParams, body: jsonBody(z.object({ title: z.string().trim().min(1).max(200), scheduledFor: z.string().datetime().optional() })) },
    responses: { 201: jsonResponse(GameSessionSchema, 'Scheduled'), ...commonErrors },
  }),
  async (c) => {
    return c.json(await scheduleSession(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')), 201);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/recaps', tags: ['Sessions'], security: bearerSecurity,
    summary: "Search the recaps of the campaign's ended sessions (players: the player-safe recaps; the GM: the GM's too), best first",
    request: { params: CampaignParams, query: z.object({ q: z.string().trim().min(1).max(200), limit: z.coerce.number().int().min(1).max(20).default(10) }) },
    responses: {
      200: jsonResponse(z.object({
        items: z.array(z.object({ sessionId: z.string(), title: z.string(), endedAt: z.string().nullable(), snippet: z.string().describe('Matched words in <mark>…</mark>') })),
        semantic: z.boolean().describe('Whether meaning-based matches (Vectorize) were fused in'),
      }), 'Matching sessions'),
      ...commonErrors,
    },
  }),
  async (c) => c.json(await searchRecaps(c.var.scope, c.req.valid('param').campaignId, c.req.valid('query')), 200),
);

sessionRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/sessions', tags: ['Sessions'], summary: "The campaign's sessions, newest first", security: bearerSecurity,
    request: { params: CampaignParams, query: z.object({ status: z.enum(['scheduled', 'live', 'ended']).optional() }) },
    responses: { 200: jsonResponse(z.object({ items: z.array(GameSessionSchema) }), 'Sessions'), ...commonErrors },
  }),
  async (c) => {
    return c.json({ items: await listSessions(c.var.scope, c.req.valid('param').campaignId, c.req.valid('query')) }, 200);
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
    return c.json(await getSession(c.var.scope, c.req.valid('param').sessionId), 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'patch', path: '/sessions/{sessionId}', tags: ['Sessions'], summary: 'Rename, reschedule or write the recap (GM)', security: bearerSecurity,
    request: { params: SessionParams, body: jsonBody(z.object({ title: z.string().trim().min(1).max(200).optional(), scheduledFor: z.string().datetime().nullable().optional(), recap: z.string().max(50_000).optional(), gmRecap: z.string().max(50_000).optional() })) },
    responses: { 200: jsonResponse(GameSessionSchema, 'Updated'), ...commonErrors },
  }),
  async (c) => {
    return c.json(await updateSession(c.var.scope, c.req.valid('param').sessionId, c.req.valid('json')), 200);
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
    return c.json(await startSession(c.var.scope, c.req.valid('param').sessionId), 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'post', path: '/sessions/{sessionId}/end', tags: ['Sessions'], summary: 'Close the table: everything said is saved (GM)', security: bearerSecurity,
    request: { params: SessionParams },
    responses: { 200: jsonResponse(GameSessionSchema, 'Ended'), ...commonErrors },
  }),
  async (c) => {
    return c.json(await endSession(c.var.scope, c.req.valid('param').sessionId), 200);
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
    const { types, ...page } = c.req.valid('query');
    return c.json(await sessionHistory(c.var.scope, c.req.valid('param').sessionId, { ...page, types: types?.split(',') }), 200);
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
    return c.json({ events: await postToSession(c.var.scope, c.req.valid('param').sessionId, c.req.valid('json')) }, 201);
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
    return c.json(await issueTicket(c.var.scope, c.req.valid('param').sessionId), 201);
  },
);
