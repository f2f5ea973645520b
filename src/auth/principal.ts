/**
 * Identity: who is calling, resolved from a credential (an access token or an
 * API key), with no notion of HTTP. The HTTP middleware, MCP and scripts all
 * resolve callers through `resolveCredential`.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { apiKeys, signIns, users } from '../db/schema';
import { ProblemError } from '../lib/problem';
import { verifyAccessToken } from './access-token';
import { API_KEY_PREFIX, resolveApiKey } from './api-keys';

/** The authenticated caller. */
export interface Principal {
  userId: string;
  email: string;
  displayName: string;
  /** How the caller proved who they are. */
  via: 'access-token' | 'api-key';
  /** The sign-in (refresh-token family) an access token belongs to. */
  signInId?: string;
}

export const unauthorized = (detail: string) =>
  new ProblemError(401, detail, {}, { 'WWW-Authenticate': 'Bearer realm="lorekeeper"' });

/**
 * The principal behind `credential`, or a 401 problem. A used API key's `lastUsedAt` is
 * written through `defer` (off the response path where the door has one).
 */
export async function resolveCredential(db: Database, jwtSecret: string | null, credential: string, defer: (p: Promise<unknown>) => void = () => undefined): Promise<Principal> {
  if (credential.startsWith(API_KEY_PREFIX)) {
    const key = await resolveApiKey(db, credential);
    if (!key) throw unauthorized('The API key is unknown, revoked or expired');
    const user = await db.select().from(users).where(and(eq(users.id, key.userId), isNull(users.disabledAt))).get();
    if (!user) throw unauthorized('The API key belongs to a disabled account');
    defer(db.update(apiKeys).set({ lastUsedAt: new Date().toISOString() }).where(eq(apiKeys.id, key.id)).run());
    return { userId: user.id, email: user.email, displayName: user.displayName, via: 'api-key' };
  }
  if (!jwtSecret) throw new ProblemError(503, 'Sign-in is not configured: the JWT_SECRET secret is missing');
  const claims = await verifyAccessToken(credential, jwtSecret);
  if (!claims) throw unauthorized('The access token is invalid or expired');
  // One query checks the user still exists and the sign-in was not revoked (logout, token reuse).
  const row = await db
    .select({ id: users.id, email: users.email, displayName: users.displayName })
    .from(users)
    .innerJoin(signIns, eq(signIns.userId, users.id))
    .where(and(
      eq(users.id, claims.sub),
      isNull(users.disabledAt),
      eq(signIns.id, claims.sid),
      isNull(signIns.revokedAt),
      gt(signIns.expiresAt, new Date().toISOString()),
    ))
    .get();
  if (!row) throw unauthorized('The access token has been revoked');
  return { userId: row.id, email: row.email, displayName: row.displayName, via: 'access-token', signInId: claims.sid };
}
