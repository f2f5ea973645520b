/**
 * The narrator in one room: the GM's `narrate` / `narrate.cancel` frames,
 * auto-narration, and what a narration leaves behind. It reads what its
 * audience may see (the log through the visibility rule and redaction, as a
 * viewer that is never an actor or a recipient), checks the table's limits
 * and the allowance, prepares the prompt (services/narrator.ts), streams it
 * one at a time (TableNarrator), logs how it ended, and carries out what it
 * asked (directives) through the room's own rules, for the GM who asked.
 * The room (GameSession) gives it a small surface: its storage, the engine's
 * `apply`, the log's `record`, and a way to speak to an audience.
 */
import { isGm } from '../game/roles';
import { logger } from '../lib/logger';
import { ProblemError } from '../lib/problem';
import { recordNarration } from '../ops/analytics';
import { overBudget, recordUsage, takeAiCall } from '../services/ai-usage';
import { prepareNarration, type NarrationRequest, type NarrationResult } from '../services/narrator';
import { nudgeRelationship } from '../services/relationships';
import { systemScope, type Scope } from '../services/scope';
import { speakNarration } from '../services/speech';
import { characterByName } from '../services/table-lookups';
import { RuleError, type NewEvent } from '../session/engine';
import { narratorViewer, seenBy } from '../session/narration-log';
import type { Actor, ClientMessage, SessionEvent, TableAction } from '../session/protocol';
import type { RoomStorage } from '../session/room-storage';
import { TableNarrator, type NarrationJob, type StopReason } from './table-narrator';

/** What the narration needs of its room. */
export interface NarrationRoom {
  readonly scope: Scope;
  readonly env: Env;
  /** The room's storage now (it is replaced when an ended room is purged). */
  store(): RoomStorage;
  /** A table action through the engine, as the room applies a frame. */
  apply(actor: Actor, action: TableAction): Promise<SessionEvent[]>;
  /** Logs and broadcasts events. */
  record(events: NewEvent[]): SessionEvent[];
  /** An ephemeral event to an audience (`gm`: GMs only). */
  send(body: Record<string, unknown>, audience: 'all' | 'gm'): void;
  /** After logging: schedule the flush to D1. */
  settle(): Promise<void>;
  refusal(err: unknown): RuleError;
  waitUntil(work: Promise<unknown>): void;
}

/** Events of the log the narrator reads (within its character budget: ai/context.ts). */
const NARRATION_LOG_EVENTS = 60;

const newNarrationId = () => crypto.randomUUID().replace(/-/g, '').slice(0, 16);

export class RoomNarration {
  readonly #narrator: TableNarrator;

  constructor(private readonly room: NarrationRoom) {
    this.#narrator = new TableNarrator({
      send: (body, audience) => room.send(body, audience),
      finish: (job, result, stopped) => this.#finish(job, result, stopped),
      waitUntil: (work) => room.waitUntil(work),
    }, room.scope.config.narrator.perMinute);
  }

  /** Stops the narration streaming, if any (X-card, end of the session). */
  stop(reason: StopReason): Promise<boolean> {
    return this.#narrator.stop(reason);
  }

  /** The GM's `narrate` or `narrate.cancel`; refusals are RuleErrors for the sender. */
  async handle(actor: Actor, msg: Extract<ClientMessage, { type: 'narrate' | 'narrate.cancel' }>, campaignId: string): Promise<SessionEvent[]> {
    if (!isGm(actor)) throw new RuleError('forbidden', 'Only the GM can ask the narrator');
    if (msg.type === 'narrate.cancel') {
      if (!(await this.#narrator.stop('cancelled by the GM'))) throw new RuleError('invalid_action', 'Nothing is being narrated');
      return [];
    }
    const { scope } = this.room;
    const wait = this.#narrator.admit();
    if (wait !== null) throw new RuleError('rate_limited', `The narrator can start ${scope.config.narrator.perMinute} narrations a minute at a table; try again in ${wait} s`);
    const spent = await overBudget(scope, campaignId, actor.userId);
    if (spent) throw new RuleError('rate_limited', spent);
    let prepared;
    try {
      prepared = await prepareNarration(scope, this.request(msg, campaignId));
      // The same per-user pace as every other door's model calls (the scripted narrator is free).
      if (prepared.provider.kind !== 'scripted') await takeAiCall(scope, actor.userId);
    } catch (err) {
      if (err instanceof ProblemError) throw new RuleError(err.status === 404 ? 'not_found' : err.status === 429 ? 'rate_limited' : 'invalid_action', err.problem.detail);
      throw err;
    }
    await this.#narrator.start({ id: newNarrationId(), actor, audience: msg.audience, kind: msg.kind, prompt: msg.prompt, npcId: msg.npcId, prepared });
    return [];
  }

  /** Auto-narration: a player's in-character line, answered as the GM who turned it on; the GMs hear why when it cannot be. */
  answer(gm: { userId: string; displayName: string }, prompt: string, campaignId: string) {
    const work = this.handle({ ...gm, role: 'gm' }, { type: 'narrate', prompt, kind: 'action', audience: 'all' }, campaignId).catch((err: unknown) => {
      const reason = err instanceof RuleError ? err.message : 'The narrator could not answer';
      this.room.send({ type: 'narration.skipped', reason }, 'gm');
      if (!(err instanceof RuleError)) logger.warn('auto-narration failed', { error: err instanceof Error ? err.stack : String(err) });
    });
    this.room.waitUntil(work);
  }

  /** What a narration may read, as its audience sees the table (the log through the visibility rule, redacted). */
  request(msg: Extract<ClientMessage, { type: 'narrate' }>, campaignId: string): NarrationRequest {
    const store = this.room.store();
    const role = msg.audience === 'gm' ? 'gm' : 'player';
    const viewer = narratorViewer(role);
    const retained = store.visibleAfter(viewer, Math.max(0, store.position(viewer) - NARRATION_LOG_EVENTS), NARRATION_LOG_EVENTS).events;
    const state = store.state();
    return { campaignId, audience: msg.audience, kind: msg.kind, prompt: msg.prompt, npcId: msg.npcId, scene: state.scene, safety: state.safety, events: seenBy(retained.map((p) => p.event), role) };
  }

  /** A narration's end, logged like any event: complete, or cancelled/failed with what was said so far. */
  async #finish(job: NarrationJob, result: NarrationResult, stopped: StopReason | null) {
    const status = stopped ? 'cancelled' : result.status;
    const tokens = { inputTokens: result.usage?.inputTokens ?? 0, outputTokens: result.usage?.outputTokens ?? 0 };
    recordNarration(this.room.env.ANALYTICS, { provider: result.provider.kind, model: result.provider.model, status, durationMs: result.durationMs, ...tokens });
    const meta = this.room.store().meta();
    if (!meta) return;
    await recordUsage(this.room.scope, { campaignId: meta.campaignId, userId: job.actor.userId, kind: 'narration', provider: result.provider.kind, model: result.provider.model, status, ...tokens, durationMs: result.durationMs })
      .catch((err: unknown) => logger.error('narration usage not recorded', { error: String(err) }));
    this.room.record([{
      type: 'narration', actor: { userId: job.actor.userId, displayName: job.actor.displayName }, audience: job.audience, narrationId: job.id, kind: job.kind,
      ...(job.npcId ? { npcId: job.npcId } : {}),
      // The GM's request can hold what players must not know: it stays with GM-only previews.
      ...(job.audience === 'gm' ? { prompt: job.prompt } : {}),
      text: result.text, status, reason: stopped ?? result.error?.message ?? null,
      label: result.provider.label, provider: { kind: result.provider.kind, model: result.provider.model }, usage: result.usage, durationMs: result.durationMs,
      asks: result.asks,
    }]);
    if (job.audience === 'all' && status === 'complete') await this.#carryOut(job, result.asks, meta.campaignId);
    if (status === 'complete') this.room.waitUntil(this.#speak(job, result.text, meta.campaignId).catch((err: unknown) => logger.warn('narration audio not logged', { error: String(err) })));
    await this.room.settle();
  }

  /**
   * Voices (when the campaign turned them on): the finished narration spoken in the narrator's or the NPC's voice,
   * off the stream's path, then a `narration.audio` event to the same audience. What cannot be spoken is told to the
   * GMs; the text stands either way.
   */
  async #speak(job: NarrationJob, text: string, campaignId: string) {
    try {
      const spoken = await speakNarration(this.room.scope, { campaignId, userId: job.actor.userId }, { text, audience: job.audience, npcId: job.npcId });
      if (!spoken) return;
      this.room.record([{
        type: 'narration.audio', actor: null, audience: job.audience, narrationId: job.id,
        audioId: spoken.audioId, url: spoken.url, contentType: spoken.contentType, voice: spoken.voice, label: spoken.label,
      }]);
    } catch (err) {
      const reason = err instanceof ProblemError ? err.problem.detail : 'the voice could not be made';
      if (!(err instanceof ProblemError)) logger.warn('narration not spoken', { error: err instanceof Error ? err.stack : String(err) });
      this.room.record([{ type: 'narration.refused', actor: null, audience: 'gm', narrationId: job.id, refused: [`Voice: ${reason}`] }]);
    }
    await this.room.settle();
  }

  /**
   * What the narration asked of the game, done through the table's own rules for the GM who asked: roll requests
   * (the engine checks the character, its player and the check) and NPC feelings (the relationships service). What
   * cannot be done is told to the GMs, never guessed.
   */
  async #carryOut(job: NarrationJob, asks: NarrationResult['asks'], campaignId: string) {
    const refused: string[] = [];
    for (const ask of asks.rolls) {
      const character = await characterByName(this.room.scope, campaignId, ask.character);
      if (!character?.ownerUserId) { refused.push(`A roll for "${ask.character}": no player's character has that name`); continue; }
      try {
        await this.room.apply(job.actor, { type: 'roll.request', userId: character.ownerUserId, characterId: character.id, check: ask.check, dc: ask.dc ?? undefined, mode: 'normal' });
      } catch (err) {
        refused.push(`A roll for "${ask.character}" (${ask.check}): ${this.room.refusal(err).message}`);
      }
    }
    // The narrator acts for the GM who asked: the same authorisation, revisions and audit as the GM's own edit.
    const asGm = systemScope(this.room.env, { principal: { userId: job.actor.userId, email: '', displayName: job.actor.displayName, via: 'access-token' }, requestId: `narration:${job.id}` });
    for (const ask of asks.attitudes) {
      try {
        await nudgeRelationship(asGm, campaignId, ask);
      } catch (err) {
        refused.push(`${ask.npc}'s feeling for ${ask.character}: ${err instanceof ProblemError ? err.problem.detail : 'could not be changed'}`);
      }
    }
    if (refused.length) this.room.record([{ type: 'narration.refused', actor: null, audience: 'gm', narrationId: job.id, refused }]);
  }
}
