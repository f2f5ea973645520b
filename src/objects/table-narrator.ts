/**
 * The narrator's seat at one table: at most one narration streams at a time.
 * A newer request supersedes the one streaming — the GM's latest request
 * reflects the table as it is now, and a queued one would narrate a moment
 * that has passed — so the older one is stopped and logged as cancelled
 * ("superseded"). The GM's cancel, an X-card tap and the end of the session
 * stop it the same way. Tokens go out as ephemeral `narration.delta` events to
 * the audience; the end is one logged `narration` event with its status, so a
 * cancelled or failed narration is never stored as complete.
 */
import { logger } from '../lib/logger';
import { take, type BucketState } from '../ops/rate-limit/token-bucket';
import type { Actor } from '../session/protocol';
import { runNarration, type PreparedNarration } from '../services/narrator';

export type StopReason = 'cancelled by the GM' | 'superseded by a newer request' | 'X-card' | 'session ended';

export interface NarrationJob {
  id: string;
  actor: Actor;
  audience: 'all' | 'gm';
  kind: string;
  prompt: string;
  /** The NPC who speaks (its voice, when voices are on). */
  npcId?: string;
  prepared: PreparedNarration;
}

export interface NarratorHooks {
  /** An ephemeral event to the narration's audience (`gm`: GMs only). */
  send(body: Record<string, unknown>, audience: 'all' | 'gm'): void;
  /** Logs the narration's end (in the room's log, like any event). */
  finish(job: NarrationJob, result: Awaited<ReturnType<typeof runNarration>>, stopped: StopReason | null): Promise<void>;
  /** Keeps the object alive while the stream runs. */
  waitUntil(work: Promise<unknown>): void;
}

export class TableNarrator {
  #current: { job: NarrationJob; abort: AbortController; stopped: StopReason | null; done: Promise<void> } | null = null;
  #bucket: BucketState | undefined;

  /** @param perMinute  narrations a table may start per minute (each is a model call; a superseded one still cost one) */
  constructor(private readonly hooks: NarratorHooks, private readonly perMinute: number) {}

  /** Takes one narration from the table's allowance; null when allowed, else the seconds to wait. */
  admit(nowMs = Date.now()): number | null {
    const { state, result } = take(this.#bucket, { capacity: this.perMinute, refillPerSecond: this.perMinute / 60 }, nowMs);
    this.#bucket = state;
    return result.allowed ? null : Math.max(1, result.retryAfterSeconds);
  }

  get busy(): boolean {
    return this.#current !== null;
  }

  /** Starts a narration, first stopping (and logging) any that is streaming. */
  async start(job: NarrationJob): Promise<void> {
    await this.stop('superseded by a newer request');
    const abort = new AbortController();
    const current = { job, abort, stopped: null as StopReason | null, done: Promise.resolve() };
    this.hooks.send({ type: 'narration.start', narrationId: job.id, kind: job.kind, label: job.prepared.provider.label, provider: job.prepared.provider.kind }, job.audience);
    current.done = (async () => {
      const result = await runNarration(job.prepared, (text) => this.hooks.send({ type: 'narration.delta', narrationId: job.id, text }, job.audience), abort.signal);
      await this.hooks.finish(job, result, current.stopped);
    })().catch((err: unknown) => logger.error('narration not logged', { error: err instanceof Error ? err.stack : String(err) }))
      .finally(() => { if (this.#current === current) this.#current = null; });
    this.#current = current;
    this.hooks.waitUntil(current.done);
  }

  /** Stops the narration that is streaming, if any, and waits until its end is logged. Returns whether one was. */
  async stop(reason: StopReason): Promise<boolean> {
    const current = this.#current;
    if (!current) return false;
    current.stopped ??= reason;
    current.abort.abort();
    await current.done;
    return true;
  }
}
