/**
 * Resolves the caller from `Authorization: Bearer <access token | API key>`
 * (or `X-API-Key`) and sets `principal`. `requireUser` answers 401 when
 * nobody could be resolved.
 *
 * @example
 * app.use('/api/me', authenticate(), requireUser()); // usually through signedIn() in src/auth/guard.ts
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { authSessions, apiKeys, users } from '../db/schema';
import type { AppEnv, Principal } from '../http/app-env';
import { ProblemError } from '../http/problem';
import { verifyAccessToken } from './access-token';
import { API_KEY_PREFIX, resolveApiKey } from './api-keys';

const unauthorized = (detail: string) =>
  new ProblemError(401, detail, {}, { 'WWW-Authenticate': 'Bearer realm="lorekeeper"' });

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
    if (credential) c.set('principal', await resolvePrincipal(c, credential));
    await next();
  };
}

async function resolvePrincipal(c: Parameters<MiddlewareHandler<AppEnv>>[0], credential: string): Promise<Principal> {
  const db = c.get('db');
  if (credential.startsWith(API_KEY_PREFIX)) {
    const key = await resolveApiKey(db, credential);
    if (!key) throw unauthorized('The API key is unknown, revoked or expired');
    const user = await db.select().from(users).where(and(eq(users.id, key.userId), isNull(users.disabledAt))).get();
    if (!user) throw unauthorized('The API key belongs to a disabled account');
    c.executionCtx.waitUntil(
      db.update(apiKeys).set({ lastUsedAt: new Date().toISOString() }).where(eq(apiKeys.id, key.id)).run().then(() => undefined),
    );
    return { userId: user.id, email: user.email, displayName: user.displayName, via: 'api-key' };
  }
  const secret = c.get('config').jwtSecret;
  if (!secret) throw new ProblemError(503, 'Sign-in is not configured: the JWT_SECRET secret is missing');
  const claims = await verifyAccessToken(credential, secret);
  if (!claims) throw unauthorized('The access token is invalid or expired');
  // One query checks the user still exists and the sign-in was not revoked (logout, token reuse).
  const row = await db
    .select({ id: users.id, email: users.email, displayName: users.displayName })
    .from(users)
    .innerJoin(authSessions, eq(authSessions.userId, users.id))
    .where(and(
      eq(users.id, claims.sub),
      isNull(users.disabledAt),
      eq(authSessions.id, claims.sid),
      isNull(authSessions.revokedAt),
      gt(authSessions.expiresAt, new Date().toISOString()),
    ))
    .get();
  if (!row) throw unauthorized('The access token has been revoked');
  return { userId: row.id, email: row.email, displayName: row.displayName, via: 'access-token', sessionId: claims.sid };
}

export function requireUser(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get('principal')) throw unauthorized('Sign in first: send "Authorization: Bearer <access token or API key>"');
    await next();
  };
}

/** The principal of a route behind `requireUser`. */
export function principalOf(c: { get: (key: 'principal') => Principal | undefined }): Principal {
  const p = c.get('principal');
  if (!p) throw unauthorized('Sign in first');
  return p;
}
