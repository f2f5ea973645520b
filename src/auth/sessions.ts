/**
 * Sign-ins and refresh-token rotation.
 *
 * A sign-in is an `auth_sessions` row (the token family). Each refresh
 * exchanges the presented refresh token for a new one and marks the old one
 * rotated; presenting a rotated token again means it leaked, so the whole
 * family is revoked and every access token of that sign-in stops working.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { newId } from '../db/client';
import { authSessions, refreshTokens } from '../db/schema';
import { randomToken, sha256Hex } from './encoding';
import { signAccessToken } from './access-token';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshExpiresAt: string;
}

export interface TokenSettings {
  secret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

/** Creates a refresh token in the session (and the session itself on sign-in, atomically). */
async function issue(db: Database, userId: string, sessionId: string, expiresAt: string, settings: TokenSettings, createSession?: { userAgent: string | null }): Promise<TokenPair> {
  const refreshToken = randomToken('rt_');
  const insertToken = db.insert(refreshTokens).values({ id: newId(), sessionId, tokenHash: await sha256Hex(refreshToken), expiresAt });
  if (createSession) {
    await db.batch([db.insert(authSessions).values({ id: sessionId, userId, expiresAt, userAgent: createSession.userAgent }), insertToken]);
  } else {
    await insertToken;
  }
  return {
    accessToken: await signAccessToken(userId, sessionId, settings.secret, settings.accessTtlSeconds),
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: settings.accessTtlSeconds,
    refreshExpiresAt: expiresAt,
  };
}

export async function startSession(db: Database, userId: string, settings: TokenSettings, userAgent: string | undefined): Promise<TokenPair> {
  const sessionId = newId();
  const expiresAt = new Date(Date.now() + settings.refreshTtlSeconds * 1000).toISOString();
  return issue(db, userId, sessionId, expiresAt, settings, { userAgent: userAgent?.slice(0, 200) ?? null });
}

export type RefreshOutcome =
  | { ok: true; userId: string; tokens: TokenPair }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused'; userId?: string; sessionId?: string };

export async function rotateRefreshToken(db: Database, presented: string, settings: TokenSettings): Promise<RefreshOutcome> {
  const tokenHash = await sha256Hex(presented);
  const row = await db
    .select({ token: refreshTokens, session: authSessions })
    .from(refreshTokens)
    .innerJoin(authSessions, eq(authSessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .get();
  if (!row) return { ok: false, reason: 'unknown' };
  const { token, session } = row;
  const now = new Date().toISOString();
  if (session.revokedAt) return { ok: false, reason: 'revoked', userId: session.userId, sessionId: session.id };
  if (token.rotatedAt) {
    await revokeSession(db, session.id, 'refresh token reuse');
    return { ok: false, reason: 'reused', userId: session.userId, sessionId: session.id };
  }
  if (token.expiresAt <= now || session.expiresAt <= now) return { ok: false, reason: 'expired', userId: session.userId };
  // Claim the token atomically: two concurrent refreshes with the same token cannot both win.
  const claimed = await db
    .update(refreshTokens)
    .set({ rotatedAt: now })
    .where(and(eq(refreshTokens.id, token.id), isNull(refreshTokens.rotatedAt)))
    .returning({ id: refreshTokens.id });
  if (claimed.length === 0) {
    await revokeSession(db, session.id, 'refresh token reuse');
    return { ok: false, reason: 'reused', userId: session.userId, sessionId: session.id };
  }
  const tokens = await issue(db, session.userId, session.id, session.expiresAt, settings);
  return { ok: true, userId: session.userId, tokens };
}

export async function revokeSession(db: Database, sessionId: string, reason: string) {
  await db
    .update(authSessions)
    .set({ revokedAt: new Date().toISOString(), revokedReason: reason })
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)));
}
