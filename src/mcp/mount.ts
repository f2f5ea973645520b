/**
 * `/mcp`: the Model Context Protocol door, Streamable HTTP through the
 * official SDK's `createMcpHandler` (the stateless 2026-07-28 revision, and
 * 2025-era clients through its stateless legacy leg). It sits behind the same
 * chain as `/api`: request id, CORS allow-list, per-IP bucket, body limit,
 * sign-in (API key or access token) with the per-user bucket, JSON depth
 * guard, scope. A browser's `Origin` must be on the allow-list (DNS
 * rebinding). The caller's scope reaches the per-request server through the
 * SDK's pass-through `authInfo`.
 */
import type { Hono } from 'hono';
import { cors } from 'hono/cors';
import { createMcpHandler, type AuthInfo } from '@modelcontextprotocol/server';
import type { AppEnv } from '../http/app-env';
import { ProblemError } from '../lib/problem';
import { logger } from '../lib/logger';
import type { Scope } from '../services/scope';
import { buildServer } from './server';

export const MCP_PATH = '/mcp';

const handler = createMcpHandler(({ authInfo, requestInfo }) => {
  const scope = authInfo?.extra?.scope as Scope | undefined;
  if (!scope) throw new Error('MCP request without a scope');
  return buildServer(scope, new URL(requestInfo?.url ?? 'http://localhost').origin);
}, { onerror: (err) => logger.warn('mcp', { error: err.message }) });

/** CORS for browser-based MCP clients on the allow-list, with the protocol's headers. */
export function mcpCors() {
  return cors({
    origin: (origin, c) => ((c.get('config') as { corsOrigins: string[] }).corsOrigins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'X-API-Key', 'X-Request-Id', 'Mcp-Protocol-Version', 'Mcp-Method', 'Mcp-Name', 'Mcp-Session-Id', 'Last-Event-ID', 'Accept'],
    exposeHeaders: ['X-Request-Id', 'Mcp-Session-Id', 'Mcp-Protocol-Version', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'Retry-After'],
    maxAge: 600,
  });
}

export function mountMcp(app: Hono<AppEnv>): void {
  app.all(MCP_PATH, async (c) => {
    const origin = c.req.header('origin');
    // A browser page may call /mcp only from an allowed origin (same host, or CORS_ORIGINS).
    if (origin && origin !== new URL(c.req.url).origin && !c.get('config').corsOrigins.includes(origin)) {
      throw new ProblemError(403, `Origin ${origin} may not call ${MCP_PATH}; add it to CORS_ORIGINS`);
    }
    const scope = c.var.scope;
    const principal = scope.principal!;
    const authInfo: AuthInfo = { token: 'verified', clientId: principal.userId, scopes: [], extra: { scope } };
    // The body was read (and its depth checked) by the middleware chain: hand the SDK the parsed value.
    let parsedBody: unknown;
    if (c.req.method === 'POST') {
      try {
        parsedBody = JSON.parse(await c.req.text());
      } catch {
        return c.json({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: the body is not JSON' } }, 400);
      }
    }
    return handler.fetch(c.req.raw, { authInfo, parsedBody });
  });
}
