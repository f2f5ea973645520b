/**
 * Logs one structured line per request with its id, route, status and duration,
 * and writes the same (without ids) to Analytics Engine in production.
 *
 * @example
 * app.use('*', requestLog());
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../app-env';
import { logger } from '../../lib/logger';
import { recordRequest } from '../../ops/analytics';

export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = Date.now();
    await next();
    const status = c.res.status;
    const fields = {
      requestId: c.get('requestId'),
      serverRequestId: c.get('serverRequestId'),
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      route: routePath(c),
      status,
      durationMs: Date.now() - started,
      userId: c.get('principal')?.userId,
    };
    if (status >= 500) logger.error('request', fields);
    else logger.info('request', fields);
    recordRequest(c.env.ANALYTICS, { route: fields.route, method: fields.method, status, durationMs: fields.durationMs });
  };
}
