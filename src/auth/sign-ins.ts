/**
 * Sign-ins and refresh-token rotation. ("Sign-in", never "session": a session
 * is a game session at a live table.)
 *
 * A sign-in is a `signIns` row (the token family). Each refresh
 * exchanges the presented refresh token for a new one and marks the old one
 * rotated; presenting a rotated token again means it leaked, so the whole
 * family is revoked and every access token of that sign-in stops working.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { newId } from '../db/client';
import { signIns, refreshTokens } from '../db/schema';
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

/** Creates a refresh token in the sign-in (and the sign-in itself when it starts, atomically). */
async function issue(db: Database, userId: string, signInId: string, expiresAt: string, settings: TokenSettings, createSignIn?: { userAgent: string | null }): Promise<TokenPair> {
  const refreshToken = randomToken('rt_');
  const insertToken = db.insert(refreshTokens).values({ id: newId(), signInId, tokenHash: await sha256Hex(refreshToken), expiresAt });
  if (createSignIn) {
    await db.batch([db.insert(signIns).values({ id: signInId, userId, expiresAt, userAgent: createSignIn.userAgent }), insertToken]);
  } else {
    await insertToken;
  }
  return {
    accessToken: await signAccessToken(userId, signInId, settings.secret, settings.accessTtlSeconds),
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: settings.accessTtlSeconds,
    refreshExpiresAt: expiresAt,
  };
}

export async function startSignIn(db: Database, userId: string, settings: TokenSettings, userAgent: string | undefined): Promise<TokenPair> {
  const signInId = newId();
  const expiresAt = new Date(Date.now() + settings.refreshTtlSeconds * 1000).toISOString();
  return issue(db, userId, signInId, expiresAt, settings, { userAgent: userAgent?.slice(0, 200) ?? null });
}

export type RefreshOutcome =
  | { ok: true; userId: string; tokens: TokenPair }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused'; userId?: string; signInId?: string };

export async function rotateRefreshToken(db: Database, presented: string, settings: TokenSettings): Promise<RefreshOutcome> {
  const tokenHash = await sha256Hex(presented);
  const row = await db
    .select({ token: refreshTokens, signIn: signIns })
    .from(refreshTokens)
    .innerJoin(signIns, eq(signIns.id, refreshTokens.signInId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .get();
  if (!row) return { ok: false, reason: 'unknown' };
  const { token, signIn } = row;
  const now = new Date().toISOString();
  if (signIn.revokedAt) return { ok: false, reason: 'revoked', userId: signIn.userId, signInId: signIn.id };
  if (token.rotatedAt) {
    await revokeSignIn(db, signIn.id, 'refresh token reuse');
    return { ok: false, reason: 'reused', userId: signIn.userId, signInId: signIn.id };
  }
  if (token.expiresAt <= now || signIn.expiresAt <= now) return { ok: false, reason: 'expired', userId: signIn.userId };
  // Claim the token atomically: two concurrent refreshes with the same token cannot both win.
  const claimed = await db
    .update(refreshTokens)
    .set({ rotatedAt: now })
    .where(and(eq(refreshTokens.id, token.id), isNull(refreshTokens.rotatedAt)))
    .returning({ id: refreshTokens.id });
  if (claimed.length === 0) {
    await revokeSignIn(db, signIn.id, 'refresh token reuse');
    return { ok: false, reason: 'reused', userId: signIn.userId, signInId: signIn.id };
  }
  const tokens = await issue(db, signIn.userId, signIn.id, signIn.expiresAt, settings);
  return { ok: true, userId: signIn.userId, tokens };
}

export async function revokeSignIn(db: Database, signInId: string, reason: string) {
  await db
    .update(signIns)
    .set({ revokedAt: new Date().toISOString(), revokedReason: reason })
    .where(and(eq(signIns.id, signInId), isNull(signIns.revokedAt)));
}
