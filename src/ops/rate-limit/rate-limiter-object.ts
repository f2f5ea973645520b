/**
 * One Durable Object per rate-limit key (e.g. `ip:1.2.3.4:auth`), so every
 * edge location sees the same bucket. Buckets live in memory: an eviction
 * refills a bucket, which errs on the side of letting users in. A key can
 * also be remembered for a while (in storage, so it survives eviction): the
 * login throttle remembers the addresses an account signed in from.
 */
import { DurableObject } from 'cloudflare:workers';
import { take, type BucketRule, type BucketState, type TakeResult } from './token-bucket';

export class RateLimiter extends DurableObject<Env> {
  private bucket: BucketState | undefined;

  /** Takes `cost` tokens under `rule`; native RPC, called from the rate-limit middleware. */
  async take(rule: BucketRule, cost = 1): Promise<TakeResult> {
    const { state, result } = take(this.bucket, rule, Date.now(), cost);
    this.bucket = state;
    return result;
  }

  /** Whether `cost` tokens are available, without taking them (for limits that charge only failures). */
  async peek(rule: BucketRule, cost = 1): Promise<TakeResult> {
    return take(this.bucket, rule, Date.now(), cost).result;
  }

  /** Marks this key as seen for `ms` milliseconds. */
  async remember(ms: number): Promise<void> {
    await this.ctx.storage.put('rememberedUntil', Date.now() + ms);
  }

  async remembered(): Promise<boolean> {
    return ((await this.ctx.storage.get<number>('rememberedUntil')) ?? 0) > Date.now();
  }
}
