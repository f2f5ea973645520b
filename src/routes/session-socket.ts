/**
 * GET /api/sessions/{sessionId}/ws?ticket=… — the table's WebSocket.
 *
 * Registered before the global middleware on purpose: the 101 response
 * carries the socket and must reach the client untouched (header-writing
 * middleware would rebuild it). Authentication is the single-use ticket,
 * which only the session's own Durable Object can redeem.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';
import { problem, problemResponse } from '../http/problem';
import { gameSessionStub } from '../session/stub';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const SOCKET_PATH = '/api/sessions/:sessionId/ws';

export function mountSessionSocket(app: Hono<AppEnv>) {
  app.get(SOCKET_PATH, (c) => {
    const sessionId = c.req.param('sessionId');
    if (!UUID.test(sessionId)) return problemResponse(problem(404, 'Session not found'));
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      return problemResponse(problem(426, 'Open this URL as a WebSocket, with a ticket from POST /api/sessions/{id}/tickets'), { Upgrade: 'websocket' });
    }
    return gameSessionStub(c.env, sessionId).fetch(c.req.raw);
  });
}

/** The OpenAPI description of the socket route (it is not a zod-openapi route because it answers 101). */
export const socketRouteDoc = {
  method: 'get' as const,
  path: '/api/sessions/{sessionId}/ws',
  tags: ['Sessions'],
  summary: 'The live table as a WebSocket (protocol v1: see src/session/protocol.ts)',
  description: 'Authenticate with `?ticket=` from POST /api/sessions/{sessionId}/tickets. Optional `lastSeq` resumes after a reconnect. Frames are JSON, at most 16 KiB.',
  responses: {
    101: { description: 'Switching protocols' },
    401: { description: 'Missing, expired or used ticket' },
    410: { description: 'The session has ended' },
    426: { description: 'Not a WebSocket request' },
    503: { description: 'The table is full (Retry-After)' },
  },
};
