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

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a browser page at `origin` may call /mcp (DNS rebinding: a page on evil.example that resolves to
 * 127.0.0.1 must not reach a local server). Allowed: origins on CORS_ORIGINS, and a loopback page calling a
 * loopback server (local development). Same-host is not enough: under rebinding the Host is the attacker's too.
 */
export function originAllowed(origin: string, host: string, allowList: readonly string[]): boolean {
  if (allowList.includes(origin)) return true;
  try {
    return LOOPBACK.has(new URL(origin).hostname) && LOOPBACK.has(host);
  } catch {
    return false;
  }
}

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
    if (origin && !originAllowed(origin, new URL(c.req.url).hostname, c.get('config').corsOrigins)) {
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
