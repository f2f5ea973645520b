/**
 * Guessing passwords is throttled per account, not only per address, and only
 * failures are charged:
 *  - per account and client address: a few failures, refilled over 15 minutes;
 *  - per account from anywhere: a slower bucket (an hour), against guessing from many addresses.
 * The account-wide bucket cannot lock the owner out: an address the account
 * has signed in from successfully (remembered for 30 days) is exempt from it,
 * and faces only its own per-address bucket. A throttled attempt is refused
 * before the password is checked, so it reveals nothing about the password.
 *
 * @example
 * const throttle = loginThrottle(env.RATE_LIMITER, config, email, ip);
 * const wait = await throttle.check(); // null, or seconds to wait
 * if (!ok) await throttle.failed(); else await throttle.succeeded();
 */
import type { Config } from '../config';
import { limiterFor } from '../ops/rate-limit/limiter';
import type { BucketRule } from '../ops/rate-limit/token-bucket';

const KNOWN_ADDRESS_MS = 30 * 24 * 3600 * 1000;

export interface LoginThrottle {
  /** Seconds to wait before another attempt, or null when an attempt may be made. */
  check(): Promise<number | null>;
  failed(): Promise<void>;
  succeeded(): Promise<void>;
}

export function loginThrottle(limiter: Env['RATE_LIMITER'], config: Config, email: string, ip: string): LoginThrottle {
  const account = email.toLowerCase();
  const pair = limiterFor(limiter, `login:${account}:${ip}`);
  const everywhere = limiterFor(limiter, `login:${account}`);
  const known = limiterFor(limiter, `login-known:${account}:${ip}`);
  const pairRule: BucketRule = { capacity: config.rateLimit.loginFailuresPerAccountIp, refillPerSecond: config.rateLimit.loginFailuresPerAccountIp / 900 };
  const accountRule: BucketRule = { capacity: config.rateLimit.loginFailuresPerAccountPerHour, refillPerSecond: config.rateLimit.loginFailuresPerAccountPerHour / 3600 };
  return {
    async check() {
      const [p, a, trusted] = await Promise.all([pair.peek(pairRule), everywhere.peek(accountRule), known.remembered()]);
      if (!p.allowed) return p.retryAfterSeconds;
      if (!a.allowed && !trusted) return a.retryAfterSeconds;
      return null;
    },
    async failed() {
      await Promise.all([pair.take(pairRule), everywhere.take(accountRule)]);
    },
    async succeeded() {
      await known.remember(KNOWN_ADDRESS_MS);
    },
  };
}
