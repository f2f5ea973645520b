/**
 * The one way to reach a rate-limit bucket: the `RateLimiter` object named by
 * its key, and the rule for "N a minute". Used by the rate-limit middleware,
 * the WebSocket upgrade route and the sign-in throttle.
 *
 * @example
 * const result = await limiterFor(env.RATE_LIMITER, `socket:ip:${ip}`).take(perMinute(60));
 */
import type { BucketRule } from './token-bucket';

export function limiterFor(namespace: Env['RATE_LIMITER'], key: string) {
  return namespace.get(namespace.idFromName(key));
}

/** `limit` tokens, refilled evenly over a minute (the burst is the whole minute's allowance). */
export const perMinute = (limit: number): BucketRule => ({ capacity: limit, refillPerSecond: limit / 60 });
