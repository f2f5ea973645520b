/**
 * Accounts: register, sign in, refresh, sign out, profile and API keys.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { clientIp, rateLimit } from '../http/middleware/rate-limit';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/password';
import { issueApiKey, listApiKeys, me, refresh, register, revokeApiKey, signIn, signOut } from '../services/accounts';
import { bearerSecurity, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';

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

const SignedInSchema = z.object({ user: UserSchema, tokens: TokensSchema }).openapi('SignedIn');

const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
}).openapi('ApiKey');

export const authRoutes = createRouter();

// Credential-guessing protection: a tight per-IP bucket on everything under /auth.
authRoutes.use('/auth/*', rateLimit('auth', (c) => `ip:${clientIp(c)}`, (cfg) => cfg.rateLimit.authPerIpPerMinute));

authRoutes.openapi(
  createRoute({
    method: 'post', path: '/auth/register', tags: ['Accounts'], summary: 'Create an account and sign in',
    request: { body: jsonBody(z.object({ email: Email, password: Password, displayName: z.string().trim().min(1).max(80) })) },
    responses: { 201: jsonResponse(SignedInSchema, 'Account created'), ...commonErrors },
  }),
  async (c) => {
    return c.json(await register(c.var.scope, { ...c.req.valid('json'), userAgent: c.req.header('user-agent') }), 201);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'post', path: '/auth/login', tags: ['Accounts'], summary: 'Sign in with email and password',
    request: { body: jsonBody(z.object({ email: Email, password: z.string().min(1).max(PASSWORD_MAX_LENGTH) })) },
    responses: { 200: jsonResponse(SignedInSchema, 'Signed in'), ...commonErrors },
  }),
  async (c) => {
    return c.json(await signIn(c.var.scope, { ...c.req.valid('json'), userAgent: c.req.header('user-agent') }), 200);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'post', path: '/auth/refresh', tags: ['Accounts'], summary: 'Exchange a refresh token for a new token pair (rotation)',
    request: { body: jsonBody(z.object({ refreshToken: z.string().min(10).max(200) })) },
    responses: { 200: jsonResponse(TokensSchema, 'New tokens; the presented refresh token is now spent'), ...commonErrors },
  }),
  async (c) => {
    return c.json(await refresh(c.var.scope, c.req.valid('json').refreshToken), 200);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'post', path: '/auth/logout', tags: ['Accounts'], summary: 'Sign out: revokes this sign-in and all its tokens',
    security: bearerSecurity,
    responses: { 204: { description: 'Signed out' }, ...commonErrors },
  }),
  async (c) => {
    await signOut(c.var.scope);
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
    return c.json(await me(c.var.scope), 200);
  },
);

authRoutes.openapi(
  createRoute({
    method: 'get', path: '/me/api-keys', tags: ['Accounts'], summary: 'List your API keys (never the secret)',
    security: bearerSecurity,
    responses: { 200: jsonResponse(z.object({ items: z.array(ApiKeySchema) }), 'Active keys'), ...commonErrors },
  }),
  async (c) => {
    return c.json({ items: await listApiKeys(c.var.scope) }, 200);
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
    return c.json(await issueApiKey(c.var.scope, c.req.valid('json')), 201);
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
    await revokeApiKey(c.var.scope, c.req.valid('param').id);
    return c.body(null, 204);
  },
);
