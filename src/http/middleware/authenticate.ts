/**
 * Resolves the caller from `Authorization: Bearer <access token | API key>`
 * (or `X-API-Key`) and sets `principal`. `requireUser` answers 401 when
 * nobody could be resolved.
 *
 * @example
 * app.use('/api/me', authenticate(), requireUser()); // usually through signedIn()
 */
import type { MiddlewareHandler } from 'hono';
import { resolveCredential, unauthorized } from '../../auth/principal';
import type { AppEnv } from '../app-env';

function presentedCredential(authorization: string | undefined, apiKeyHeader: string | undefined): string | null {
  if (apiKeyHeader) return apiKeyHeader.trim();
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw unauthorized('The Authorization header must be "Bearer <token>"');
  return match[1];
}

export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const credential = presentedCredential(c.req.header('authorization'), c.req.header('x-api-key'));
    if (credential) c.set('principal', await resolveCredential(c.get('db'), c.get('config').jwtSecret, credential, (p) => c.executionCtx.waitUntil(p)));
    await next();
  };
}

export function requireUser(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get('principal')) throw unauthorized('Sign in first: send "Authorization: Bearer <access token or API key>"');
    await next();
  };
}
