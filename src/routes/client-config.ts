/**
 * What the web client needs to know before anyone signs in: the environment,
 * and in development only the seeded demo GM's sign-in (wrangler.toml's
 * `DEMO_SIGN_IN`; never set in production, and ignored there).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, jsonResponse } from '../http/router';

const ClientConfigSchema = z.object({
  environment: z.enum(['development', 'production', 'test']),
  demo: z.object({ email: z.string(), password: z.string() }).nullable().describe('The demo GM (development only)'),
}).openapi('ClientConfig');

export const clientConfigRoutes = createRouter();

clientConfigRoutes.openapi(
  createRoute({
    method: 'get', path: '/client-config', tags: ['Operations'], summary: 'Settings for the web client (public)',
    responses: { 200: jsonResponse(ClientConfigSchema, 'Client settings') },
  }),
  (c) => {
    const { environment, demoSignIn } = c.var.scope.config;
    return c.json({ environment, demo: demoSignIn }, 200);
  },
);
