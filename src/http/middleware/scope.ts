/**
 * Builds the request's service scope (src/services/scope.ts) from what the
 * middleware before it resolved: database, config, caller, request id, client
 * address. Route handlers pass `c.var.scope` to services and never hand a Hono
 * context to anything below the HTTP layer.
 *
 * @example
 * app.use('/api/*', attachScope());
 * app.get('/api/campaigns', (c) => c.json(await listCampaigns(c.var.scope, {})));
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';

export function attachScope(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('scope', {
      db: c.get('db'),
      env: c.env,
      config: c.get('config'),
      principal: c.get('principal') ?? null,
      requestId: c.get('requestId'),
      ip: c.req.header('cf-connecting-ip') ?? null,
      defer: (work) => c.executionCtx.waitUntil(work),
    });
    await next();
  };
}
