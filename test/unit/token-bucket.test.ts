import { describe, expect, it } from 'vitest';
import { spend, take, type BucketState } from '../../src/ops/rate-limit/token-bucket';

const rule = { capacity: 3, refillPerSecond: 1 };

describe('token bucket', () => {
  it('allows a burst of `capacity`, then refuses with the wait until the next token', () => {
    let state: BucketState | undefined;
    const results = [];
    for (let i = 0; i < 4; i++) {
      const r = take(state, rule, 1_000);
      state = r.state;
      results.push(r.result);
    }
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3]!.retryAfterSeconds).toBe(1);
    expect(results[3]!.resetSeconds).toBe(3);
  });

  it('refills with time but never above capacity', () => {
    let { state } = take(undefined, rule, 0, 3);
    expect(take(state, rule, 1_500).result.remaining).toBe(0); // 1.5 tokens, takes 1 → 0.5 left
    ({ state } = take(state, rule, 1_500));
    expect(take(state, rule, 60_000).result.remaining).toBe(2); // refilled to 3, took 1
  });

  it('does not go back in time when clocks disagree', () => {
    const { state } = take(undefined, rule, 10_000, 3);
    expect(take(state, rule, 5_000).result.allowed).toBe(false);
  });

  it('spends from a bucket in place with the same arithmetic as take', () => {
    let state: BucketState | undefined;
    const bucket: BucketState = { tokens: rule.capacity, updatedAt: 1_000 };
    for (const [now, cost] of [[1_000, 1], [1_000, 1], [1_200, 1], [1_300, 1], [2_900, 2], [2_900, 1], [9_000, 1], [8_000, 3]] as const) {
      const r = take(state ?? { tokens: rule.capacity, updatedAt: 1_000 }, rule, now, cost);
      state = r.state;
      expect(spend(bucket, rule, now, cost)).toBe(r.result.allowed);
      expect(bucket).toEqual(state);
    }
  });
});
