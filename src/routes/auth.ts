/**
 * Accounts: register, sign in, refresh, sign out, profile and API keys.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Context } from 'hono';
import { createApiKey } from '../auth/api-keys';
import { loginThrottle } from '../auth/login-throttle';
import { principalOf } from '../auth/authenticate';
import { decoyHash, hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from '../auth/password';
import { revokeSession, rotateRefreshToken, startSession, type TokenSettings } from '../auth/sessions';
import { newId } from '../db/client';
import { apiKeys, credentials, users } from '../db/schema';
import type { AppEnv } from '../http/app-env';
import { clientIp, rateLimit } from '../http/middleware/rate-limit';
import { conflict, notFound, ProblemError } from '../http/problem';
import { bearerSecurity, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';
import { audit } from '../ops/audit';
import { isUniqueViolation } from '../db/errors';

const Email = z.string().trim().toLowerCase().email().max(254).openapi({ example: 'gm@example.com' });
const Password = z.string().min(PASSWORD_MIN_LENGTH, `Passwords need at least ${PASSWORD_MIN_LENGTH} characters`).max(PASSWORD_MAX_LENGTH);

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  createdAt: z.string(),
}).openapi('User');

const TokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int(),
  refreshExpiresAt: z.string(),
}).openapi('Tokens');

const SessionSchema = z.object({ user: UserSchema, tokens: TokensSchema }).openapi('SignedIn');

const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
}).openapi('ApiKey');

function tokenSettings(c: Context<AppEnv>): TokenSettings {
  const config = c.get('config');
  if (!config.jwtSecret) throw new ProblemError(503, 'Sign-in is not configured: the JWT_SECRET secret is missing');
  return { secret: config.jwtSecret, accessTtlSeconds: config.accessTokenTtlSeconds, refreshTtlSeconds: config.refreshTokenTtlSeconds };
}

const publicUser = (u: typeof users.$inferSelect) => ({ id: u.id, email: u.email, displayName: u.displayName, createdAt: u.createdAt });

export const authRoutes = createRouter();

// Credential-guessing protection: a tight per-IP bucket on everything under /auth.
authRoutes.use('/auth/*', rateLimit('auth', (c) => `ip:${clientIp(c)}`, (cfg) => cfg.rateLimit.authPerIpPerMinute));

authRoutes.openapi(
  createRoute({
    method: 'post', path: '/auth/register', tags: ['Accounts'], summary: 'Create an account and sign in',
    request: { body: jsonBody(z.object({ email: Email, password: Password, displayName: z.string().trim().min(1).max(80) })) },
    responses: { 201: jsonResponse(SessionSchema, 'Account created'), ...commonErrors },
  }),
  async (c) => {
    const { email, password, displayName } = c.req.valid('json');
    const db = c.get('db');
    const settings = tokenSettings(c);
    const id = newId();
    const passwordHash = await hashPassword(password);
    try {
      await db.batch([
        db.insert(users).values({ id, email, displayName }),
        db.insert(credentials).values({ userId: id, passwordHash }),
      ]);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('An account with this email already exists');
      throw err;
    }
    const user = await db.select().from(users).where(eq(users.id, id)).get();
    const tokens = await startSession(db, id, settings, c.req.header('user-agent'));
    await audit(c, 'auth.register', { actorUserId: id });
    return c.json({ user: publicUser(user!), tokens }, 201);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'post', path: '/auth/login', tags: ['Accounts'], summary: 'Sign in with email and password',
    request: { body: jsonBody(z.object({ email: Email, password: z.string().min(1).max(PASSWORD_MAX_LENGTH) })) },
    responses: { 200: jsonResponse(SessionSchema, 'Signed in'), ...commonErrors },
  }),
  async (c) => {
    const { email, password } = c.req.valid('json');
    const db = c.get('db');
    const settings = tokenSettings(c);
    const throttle = loginThrottle(c.env.RATE_LIMITER, c.get('config'), email, clientIp(c));
    const wait = await throttle.check();
    if (wait !== null) {
      await audit(c, 'auth.login_throttled', { email });
      throw new ProblemError(429, `Too many failed sign-ins for this account; try again in ${wait} s`, {}, { 'Retry-After': String(wait) });
    }
    const row = await db
      .select({ user: users, hash: credentials.passwordHash })
      .from(users)
      .innerJoin(credentials, eq(credentials.userId, users.id))
      .where(and(eq(users.email, email), isNull(users.disabledAt)))
      .get();
    // Unknown emails still pay for a hash so response time does not reveal which accounts exist.
    const valid = await verifyPassword(password, row?.hash ?? (await decoyHash()));
    if (!row || !valid) {
      await throttle.failed();
      await audit(c, 'auth.login_failed', { actorUserId: row?.user.id ?? null, email });
      throw new ProblemError(401, 'Email or password is incorrect');
    }
    const tokens = await startSession(db, row.user.id, settings, c.req.header('user-agent'));
    await throttle.succeeded();
    await audit(c, 'auth.login', { actorUserId: row.user.id });
    return c.json({ user: publicUser(row.user), tokens }, 200);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'post', path: '/auth/refresh', tags: ['Accounts'], summary: 'Exchange a refresh token for a new token pair (rotation)',
    request: { body: jsonBody(z.object({ refreshToken: z.string().min(10).max(200) })) },
    responses: { 200: jsonResponse(TokensSchema, 'New tokens; the presented refresh token is now spent'), ...commonErrors },
  }),
  async (c) => {
    const { refreshToken } = c.req.valid('json');
    const outcome = await rotateRefreshToken(c.get('db'), refreshToken, tokenSettings(c));
    if (!outcome.ok) {
      if (outcome.reason === 'reused') {
        await audit(c, 'auth.refresh_reuse', { actorUserId: outcome.userId, sessionId: outcome.sessionId });
        throw new ProblemError(401, 'This refresh token was already used; the sign-in has been revoked. Sign in again.');
      }
      throw new ProblemError(401, `The refresh token is ${outcome.reason === 'unknown' ? 'not valid' : outcome.reason}`);
    }
    return c.json(outcome.tokens, 200);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'post', path: '/auth/logout', tags: ['Accounts'], summary: 'Sign out: revokes this sign-in and all its tokens',
    security: bearerSecurity,
    responses: { 204: { description: 'Signed out' }, ...commonErrors },
  }),
  async (c) => {
    const principal = principalOf(c);
    if (!principal.sessionId) throw new ProblemError(400, 'API keys are not sessions; revoke the key with DELETE /api/me/api-keys/{id}');
    await revokeSession(c.get('db'), principal.sessionId, 'logout');
    await audit(c, 'auth.logout');
    return c.body(null, 204);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'get', path: '/me', tags: ['Accounts'], summary: 'The signed-in user',
    security: bearerSecurity,
    responses: { 200: jsonResponse(UserSchema, 'You'), ...commonErrors },
  }),
  async (c) => {
    const user = await c.get('db').select().from(users).where(eq(users.id, principalOf(c).userId)).get();
    if (!user) throw notFound('User');
    return c.json(publicUser(user), 200);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'get', path: '/me/api-keys', tags: ['Accounts'], summary: 'List your API keys (never the secret)',
    security: bearerSecurity,
    responses: { 200: jsonResponse(z.object({ items: z.array(ApiKeySchema) }), 'Active keys'), ...commonErrors },
  }),
  async (c) => {
    const rows = await c.get('db')
      .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, expiresAt: apiKeys.expiresAt, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.userId, principalOf(c).userId), isNull(apiKeys.revokedAt)))
      .orderBy(desc(apiKeys.createdAt));
    return c.json({ items: rows }, 200);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'post', path: '/me/api-keys', tags: ['Accounts'], summary: 'Create an API key (the key is shown only in this response)',
    security: bearerSecurity,
    request: { body: jsonBody(z.object({ name: z.string().trim().min(1).max(80), expiresInDays: z.number().int().min(1).max(3650).optional() })) },
    responses: { 201: jsonResponse(ApiKeySchema.extend({ key: z.string() }), 'The new key'), ...commonErrors },
  }),
  async (c) => {
    const principal = principalOf(c);
    if (principal.via === 'api-key') throw new ProblemError(403, 'API keys cannot create more API keys; sign in with your password');
    const { name, expiresInDays } = c.req.valid('json');
    const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000).toISOString() : null;
    const created = await createApiKey(c.get('db'), principal.userId, name, expiresAt);
    await audit(c, 'apikey.create', { keyId: created.id });
    const row = await c.get('db').select().from(apiKeys).where(eq(apiKeys.id, created.id)).get();
    return c.json({ id: created.id, name, prefix: created.prefix, createdAt: row!.createdAt, expiresAt, lastUsedAt: null, key: created.key }, 201);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'delete', path: '/me/api-keys/{id}', tags: ['Accounts'], summary: 'Revoke an API key',
    security: bearerSecurity,
    request: { params: z.object({ id: IdParam }) },
    responses: { 204: { description: 'Revoked' }, ...commonErrors },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const revoked = await c.get('db')
      .update(apiKeys)
      .set({ revokedAt: new Date().toISOString() })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, principalOf(c).userId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    if (revoked.length === 0) throw notFound('API key');
    await audit(c, 'apikey.revoke', { keyId: id });
    return c.body(null, 204);
  },
);
