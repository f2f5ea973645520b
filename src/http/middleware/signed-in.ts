/**
 * The middleware chain of every signed-in route: resolve the caller, refuse
 * anonymous requests, then apply the per-user rate limit.
 *
 * Register it once per path on the app (see SIGNED_IN_PATHS in src/app.ts), not per router:
 * middleware of routers mounted on the same prefix applies to all of them.
 *
 * @example
 * app.use('/api/campaigns/*', ...signedIn());
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';
import { authenticate, requireUser } from './authenticate';
import { rateLimit } from './rate-limit';

export function signedIn(): MiddlewareHandler<AppEnv>[] {
  return [
    authenticate(),
    requireUser(),
    rateLimit('user', (c) => c.get('principal')?.userId ?? null, (cfg) => cfg.rateLimit.perUserPerMinute),
  ];
}
