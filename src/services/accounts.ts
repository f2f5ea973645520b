/**
 * Accounts: register, sign in (throttled per account), refresh with rotation,
 * sign out, the caller's profile, and API keys (shown once; an API key cannot
 * mint more keys).
 */
import { and, desc, eq, isNull } from 'drizzle-orm';
import { createApiKey } from '../auth/api-keys';
import { loginThrottle } from '../auth/login-throttle';
import { decoyHash, hashPassword, verifyPassword } from '../auth/password';
import { revokeSignIn, rotateRefreshToken, startSignIn, type TokenSettings } from '../auth/sign-ins';
import { newId } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { apiKeys, credentials, users } from '../db/schema';
import { conflict, notFound, ProblemError } from '../lib/problem';
import { audit } from './audit';
import { callerOf, type Scope } from './scope';

function tokenSettings(scope: Scope): TokenSettings {
  const { config } = scope;
  if (!config.jwtSecret) throw new ProblemError(503, 'Sign-in is not configured: the JWT_SECRET secret is missing');
  return { secret: config.jwtSecret, accessTtlSeconds: config.accessTokenTtlSeconds, refreshTtlSeconds: config.refreshTokenTtlSeconds };
}

export const presentUser = (u: typeof users.$inferSelect) => ({ id: u.id, email: u.email, displayName: u.displayName, createdAt: u.createdAt });

export async function register(scope: Scope, input: { email: string; password: string; displayName: string; userAgent?: string }) {
  const { db } = scope;
  const settings = tokenSettings(scope);
  const id = newId();
  const passwordHash = await hashPassword(input.password);
  try {
    await db.batch([
      db.insert(users).values({ id, email: input.email, displayName: input.displayName }),
      db.insert(credentials).values({ userId: id, passwordHash }),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('An account with this email already exists');
    throw err;
  }
  const user = await db.select().from(users).where(eq(users.id, id)).get();
  const tokens = await startSignIn(db, id, settings, input.userAgent);
  await audit(scope, 'auth.register', { actorUserId: id });
  return { user: presentUser(user!), tokens };
}

export async function signIn(scope: Scope, input: { email: string; password: string; userAgent?: string }) {
  const { db } = scope;
  const settings = tokenSettings(scope);
  const throttle = loginThrottle(scope.env.RATE_LIMITER, scope.config, input.email, scope.ip ?? 'unknown');
  const wait = await throttle.check();
  if (wait !== null) {
    await audit(scope, 'auth.login_throttled', { email: input.email });
    throw new ProblemError(429, `Too many failed sign-ins for this account; try again in ${wait} s`, {}, { 'Retry-After': String(wait) });
  }
  const row = await db
    .select({ user: users, hash: credentials.passwordHash })
    .from(users)
    .innerJoin(credentials, eq(credentials.userId, users.id))
    .where(and(eq(users.email, input.email), isNull(users.disabledAt)))
    .get();
  // Unknown emails still pay for a hash so response time does not reveal which accounts exist.
  const valid = await verifyPassword(input.password, row?.hash ?? (await decoyHash()));
  if (!row || !valid) {
    await throttle.failed();
    await audit(scope, 'auth.login_failed', { actorUserId: row?.user.id ?? null, email: input.email });
    throw new ProblemError(401, 'Email or password is incorrect');
  }
  const tokens = await startSignIn(db, row.user.id, settings, input.userAgent);
  await throttle.succeeded();
  await audit(scope, 'auth.login', { actorUserId: row.user.id });
  return { user: presentUser(row.user), tokens };
}

export async function refresh(scope: Scope, refreshToken: string) {
  const outcome = await rotateRefreshToken(scope.db, refreshToken, tokenSettings(scope));
  if (!outcome.ok) {
    if (outcome.reason === 'reused') {
      await audit(scope, 'auth.refresh_reuse', { actorUserId: outcome.userId, signInId: outcome.signInId });
      throw new ProblemError(401, 'This refresh token was already used; the sign-in has been revoked. Sign in again.');
    }
    throw new ProblemError(401, `The refresh token is ${outcome.reason === 'unknown' ? 'not valid' : outcome.reason}`);
  }
  return outcome.tokens;
}

export async function signOut(scope: Scope) {
  const principal = callerOf(scope);
  if (!principal.signInId) throw new ProblemError(400, 'API keys are not sign-ins; revoke the key with DELETE /api/me/api-keys/{id}');
  await revokeSignIn(scope.db, principal.signInId, 'logout');
  await audit(scope, 'auth.logout');
}

export async function me(scope: Scope) {
  const user = await scope.db.select().from(users).where(eq(users.id, callerOf(scope).userId)).get();
  if (!user) throw notFound('User');
  return presentUser(user);
}

export function listApiKeys(scope: Scope) {
  return scope.db
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, expiresAt: apiKeys.expiresAt, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, callerOf(scope).userId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt));
}

export async function issueApiKey(scope: Scope, input: { name: string; expiresInDays?: number }) {
  const principal = callerOf(scope);
  if (principal.via === 'api-key') throw new ProblemError(403, 'API keys cannot create more API keys; sign in with your password');
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000).toISOString() : null;
  const created = await createApiKey(scope.db, principal.userId, input.name, expiresAt);
  await audit(scope, 'apikey.create', { keyId: created.id });
  const row = await scope.db.select().from(apiKeys).where(eq(apiKeys.id, created.id)).get();
  return { id: created.id, name: input.name, prefix: created.prefix, createdAt: row!.createdAt, expiresAt, lastUsedAt: null, key: created.key };
}

export async function revokeApiKey(scope: Scope, id: string) {
  const revoked = await scope.db
    .update(apiKeys)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, callerOf(scope).userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (revoked.length === 0) throw notFound('API key');
  await audit(scope, 'apikey.revoke', { keyId: id });
}
