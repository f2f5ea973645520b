/**
 * Token-bucket rate limiting keyed by client IP or by user, backed by the
 * RateLimiter Durable Object. Sets `X-RateLimit-Limit/Remaining/Reset` and
 * answers 429 with `Retry-After` when the bucket is empty.
 *
 * @example
 * router.use('/auth/*', rateLimit('auth', (c) => `ip:${clientIp(c)}`, (cfg) => cfg.rateLimit.authPerIpPerMinute));
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../../config';
import type { AppEnv } from '../app-env';
import { ProblemError } from '../../lib/problem';
import { limiterFor, perMinute as minuteRule } from '../../ops/rate-limit/limiter';
import type { TakeResult } from '../../ops/rate-limit/token-bucket';

/**
 * The client's address as the platform reports it: `CF-Connecting-IP`, which Cloudflare's edge
 * sets (overwriting whatever a client sent) and `wrangler dev` sets from the socket. Headers a
 * client controls (`X-Real-IP`, `X-Forwarded-For`) are never trusted.
 */
export function clientIp(c: Context<AppEnv>): string {
  return clientIpOf(c.req.raw);
}

export function clientIpOf(request: Request): string {
  return request.headers.get('cf-connecting-ip') ?? 'unknown';
}

/** Several buckets may apply to one request (IP, then user): the headers describe the tightest. */
function setHeaders(c: Context<AppEnv>, r: TakeResult) {
  const already = c.res.headers.get('X-RateLimit-Remaining');
  if (already !== null && Number(already) <= r.remaining) return;
  c.header('X-RateLimit-Limit', String(r.limit));
  c.header('X-RateLimit-Remaining', String(r.remaining));
  c.header('X-RateLimit-Reset', String(r.resetSeconds));
}

/** Takes one token from the bucket `key` allowing `limit` a minute (also for routes outside the middleware chain). */
export function takeToken(env: Env, key: string, limit: number): Promise<TakeResult> {
  return limiterFor(env.RATE_LIMITER, key).take(minuteRule(limit));
}

/**
 * @param bucket  name of the limit, part of the key (`auth`, `api`, `user`)
 * @param keyOf   who is being limited; return null to skip (e.g. anonymous on a per-user limit)
 * @param perMinute how many requests a minute the key may make (also the burst size)
 */
export function rateLimit(
  bucket: string,
  keyOf: (c: Context<AppEnv>) => string | null,
  perMinute: (config: Config) => number,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = keyOf(c);
    if (!key) return next();
    const limit = perMinute(c.get('config'));
    const result = await takeToken(c.env, `${bucket}:${key}`, limit);
    if (!result.allowed) {
      throw new ProblemError(429, `Too many requests; try again in ${result.retryAfterSeconds} s`, {}, {
        'Retry-After': String(result.retryAfterSeconds),
        'X-RateLimit-Limit': String(result.limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(result.resetSeconds),
      });
    }
    await next();
    setHeaders(c, result);
  };
}
