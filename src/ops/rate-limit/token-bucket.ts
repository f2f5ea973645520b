/**
 * A token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`.
 * Pure and clock-injected so it is unit-tested without Workers.
 */
export interface BucketState {
  tokens: number;
  updatedAt: number;
}

export interface BucketRule {
  capacity: number;
  refillPerSecond: number;
}

export interface TakeResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until at least one token is available again (0 when allowed). */
  retryAfterSeconds: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

export function take(state: BucketState | undefined, rule: BucketRule, nowMs: number, cost = 1): { state: BucketState; result: TakeResult } {
  const next = state ? { tokens: state.tokens, updatedAt: state.updatedAt } : { tokens: rule.capacity, updatedAt: nowMs };
  const allowed = spend(next, rule, nowMs, cost);
  return {
    state: next,
    result: {
      allowed,
      limit: rule.capacity,
      remaining: Math.floor(next.tokens),
      retryAfterSeconds: allowed ? 0 : Math.ceil((cost - next.tokens) / rule.refillPerSecond),
      resetSeconds: Math.ceil((rule.capacity - next.tokens) / rule.refillPerSecond),
    },
  };
}

/**
 * Takes `cost` tokens from a bucket the caller owns, updating it in place: the hot-path form of `take` for a
 * live table's per-socket limit, which runs on every frame and needs only the yes or no (bench/fanout: `take`'s
 * two result objects were ~0.3 KB of garbage per chat line). `take` is this on a copy, with the figures a response reports.
 */
export function spend(bucket: BucketState, rule: BucketRule, nowMs: number, cost = 1): boolean {
  const elapsed = Math.max(0, nowMs - bucket.updatedAt) / 1000;
  const tokens = Math.min(rule.capacity, bucket.tokens + elapsed * rule.refillPerSecond);
  const allowed = tokens >= cost;
  bucket.tokens = allowed ? tokens - cost : tokens;
  bucket.updatedAt = nowMs;
  return allowed;
}
