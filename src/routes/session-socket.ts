/**
 * GET /api/sessions/{sessionId}/ws?ticket=… — the table's WebSocket.
 *
 * Registered before the global middleware on purpose: the 101 response
 * carries the socket and must reach the client untouched (header-writing
 * middleware would rebuild it). So this route does itself what the chain does
 * for every other route: a request id, the per-IP rate limit, and security
 * headers on every refusal. Authentication is the single-use ticket, which
 * only the session's own Durable Object can redeem; before the object is
 * touched, the ticket must be well-formed and the session must exist and be
 * live in D1, so a stranger cannot make the platform create room storage.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { clientIpOf, takeToken } from '../http/middleware/rate-limit';
import { requestIds } from '../http/middleware/request-id';
import { problem, problemResponse } from '../lib/problem';
import { withSecurityHeaders } from '../http/security-headers';
import { logger } from '../lib/logger';
import { systemScope } from '../services/scope';
import { sessionStatus } from '../services/sessions';
import { TICKET_FORMAT } from '../session/protocol';
import { gameSessionStub } from '../session/stub';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const SOCKET_PATH = '/api/sessions/:sessionId/ws';

export function mountSessionSocket(app: Hono<AppEnv>) {
  app.get(SOCKET_PATH, async (c) => {
    const started = Date.now();
    const { requestId, serverRequestId } = requestIds(c.req.header('x-request-id'));
    const ip = clientIpOf(c.req.raw);
    const refuse = (status: number, detail: string, headers: Record<string, string> = {}) => {
      logger.info('request', { requestId, serverRequestId, method: 'GET', path: c.req.path, route: SOCKET_PATH, status, durationMs: Date.now() - started });
      const res = problemResponse(problem(status, detail, { instance: c.req.path, requestId }), { ...headers, 'X-Request-Id': requestId });
      return withSecurityHeaders(res);
    };

    const scope = systemScope(c.env, { requestId, ip });
    const bucket = await takeToken(c.env, `socket:ip:${ip}`, scope.config.rateLimit.socketUpgradesPerIpPerMinute);
    if (!bucket.allowed) return refuse(429, `Too many connection attempts; try again in ${bucket.retryAfterSeconds} s`, { 'Retry-After': String(bucket.retryAfterSeconds) });

    const sessionId = c.req.param('sessionId');
    if (!UUID.test(sessionId)) return refuse(404, 'Session not found');
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      return refuse(426, 'Open this URL as a WebSocket, with a ticket from POST /api/sessions/{id}/tickets', { Upgrade: 'websocket' });
    }
    if (!TICKET_FORMAT.test(c.req.query('ticket') ?? '')) return refuse(401, 'The ticket is missing or malformed; ask for one with POST /api/sessions/{id}/tickets');
    const status = await sessionStatus(scope, sessionId);
    if (!status) return refuse(404, 'Session not found');
    if (status === 'ended') return refuse(410, 'This session has ended');
    if (status !== 'live') return refuse(404, 'This session is not live');
    const response = await gameSessionStub(c.env, sessionId).fetch(c.req.raw);
    // A 101 passes untouched; the object's own refusals (used or expired ticket, full table) get our id and headers.
    if (response.status === 101) return response;
    const detail = await response.json<{ detail?: string }>().then((p: { detail?: string }) => p.detail, () => undefined);
    const retryAfter = response.headers.get('retry-after');
    return refuse(response.status, detail ?? 'The table refused the connection', retryAfter ? { 'Retry-After': retryAfter } : {});
  });
}

/** The OpenAPI description of the socket route (it is not a zod-openapi route because it answers 101). */
export const socketRouteDoc = {
  method: 'get' as const,
  path: '/api/sessions/{sessionId}/ws',
  tags: ['Sessions'],
  summary: 'The live table as a WebSocket (protocol v1: see src/session/protocol.ts)',
  description: 'Authenticate with `?ticket=` from POST /api/sessions/{sessionId}/tickets. Optional `lastSeq` resumes after a reconnect. Frames are JSON, at most 16 KiB and 32 levels deep.',
  responses: {
    101: { description: 'Switching protocols' },
    401: { description: 'Missing, malformed, expired or used ticket' },
    404: { description: 'No such session, or it is not live' },
    410: { description: 'The session has ended' },
    426: { description: 'Not a WebSocket request' },
    429: { description: 'Too many connection attempts from this address (Retry-After)' },
    503: { description: 'The table is full (Retry-After)' },
  },
};
