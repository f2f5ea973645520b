/**
 * The narrator, as a service the live table calls (objects/game-session.ts
 * runs one narration at a time and streams it): `prepareNarration` reads what
 * the audience may know — the campaign, an NPC without its GM-only parts for
 * the table — picks the provider (ai/select.ts) and builds the prompt
 * (ai/context.ts); `runNarration` streams it, cancellable, and always ends
 * with a result that says how it ended. Nothing the model writes changes the
 * game: its text is stored as narration, and dice stay with the server.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { buildNarrationMessages } from '../ai/context';
import { DirectiveStripper, extractDirectives, type AttitudeDirective, type RollDirective } from '../ai/directives';
import { ProviderError, type ChatMessage, type NarrationProvider, type Usage } from '../ai/provider';
import { campaigns, npcs } from '../db/schema';
import { logger } from '../lib/logger';
import { narrationLog } from '../session/narration-log';
import type { SessionEvent } from '../session/protocol';
import { notFound } from '../lib/problem';
import { factsFor } from './facts';
import { playerNotes } from './player-profiles';
import { narratorFor } from './narrator-settings';
import { latestRecap, relatedRecaps } from './recaps';
import { relationshipsOf } from './relationships';
import type { Scope } from './scope';

export interface NarrationRequest {
  campaignId: string;
  audience: 'all' | 'gm';
  kind: 'scene' | 'npc' | 'action' | 'free';
  prompt: string;
  npcId?: string;
  scene: string;
  safety: { lines: string[]; veils: string[] };
  /** The newest events the audience may see, as it sees them: the log the narration reads, and the players' profiles. */
  events: SessionEvent[];
}

export interface PreparedNarration {
  provider: NarrationProvider;
  messages: ChatMessage[];
}

export interface NarrationResult {
  /** What the table saw: the stream with the directives cut out. */
  text: string;
  /** What the narration asked of the game (applied by the room through the table's rules, for the table audience only). */
  asks: { rolls: RollDirective[]; attitudes: AttitudeDirective[] };
  status: 'complete' | 'cancelled' | 'failed';
  error: { kind: string; message: string } | null;
  provider: { kind: string; model: string; label: string };
  usage: Usage | null;
  durationMs: number;
}

const MAX_TOKENS = 400;

/** Reads what the narration may use and builds its prompt; throws a 404 problem for an NPC the audience may not know. */
export async function prepareNarration(scope: Scope, request: NarrationRequest, provider?: NarrationProvider): Promise<PreparedNarration> {
  const campaign = await scope.db.select({ name: campaigns.name, description: campaigns.description, setting: campaigns.setting }).from(campaigns).where(eq(campaigns.id, request.campaignId)).get();
  if (!campaign) throw notFound('Campaign');
  let npc: { name: string; facts: Record<string, unknown> } | null = null;
  if (request.npcId) {
    const row = await scope.db.select().from(npcs).where(and(eq(npcs.id, request.npcId), eq(npcs.campaignId, request.campaignId), isNull(npcs.deletedAt))).get();
    // An NPC the players do not know of cannot speak to them; its secrets reach only a GM-audience narration.
    if (!row || (request.audience === 'all' && row.visibility === 'gm')) throw notFound('NPC');
    const facts = { ...(row.data as Record<string, unknown>) };
    if (request.audience === 'gm') facts.gmOnly = row.gmOnly;
    // What the NPC feels about each character (a slight last session is here, with its reason).
    facts.feelings = await relationshipsOf(scope, row.id);
    npc = { name: row.name, facts };
  }
  const [previously, settings, memory, players] = await Promise.all([
    latestRecap(scope, request.campaignId, request.audience), narratorFor(scope, request.campaignId), factsFor(scope, request.campaignId, request.audience),
    request.audience === 'all' ? playerNotes(scope, request.campaignId, request.events) : Promise.resolve([]),
  ]);
  const earlier = await relatedRecaps(scope, request.campaignId, request.audience, request.prompt, previously?.sessionId ?? null);
  const messages = buildNarrationMessages({
    previously, earlier, style: settings.style, memory, players,
    audience: request.audience, kind: request.kind, request: request.prompt, scene: request.scene, safety: request.safety, log: narrationLog(request.events), npc,
    campaign: { name: campaign.name, description: [campaign.setting, campaign.description].filter(Boolean).join('\n') },
  });
  return { provider: provider ?? settings.provider, messages };
}

/** Streams a prepared narration to `onText`; ends complete, cancelled (the signal) or failed (the provider), never throws. */
export async function runNarration(prepared: PreparedNarration, onText: (text: string) => void, signal: AbortSignal): Promise<NarrationResult> {
  const { provider, messages } = prepared;
  const started = Date.now();
  let raw = '';
  let text = '';
  let usage: Usage | null = null;
  const stripper = new DirectiveStripper();
  const show = (visible: string) => {
    if (!visible) return;
    text += visible;
    onText(visible);
  };
  const end = (status: NarrationResult['status'], error: NarrationResult['error'] = null): NarrationResult => {
    show(stripper.end());
    const { rolls, attitudes } = status === 'complete' ? extractDirectives(raw) : { rolls: [], attitudes: [] };
    return { text, asks: { rolls, attitudes }, status, error, usage, durationMs: Date.now() - started, provider: { kind: provider.kind, model: provider.model, label: provider.label } };
  };
  try {
    for await (const chunk of provider.stream({ messages, maxTokens: MAX_TOKENS, temperature: 0.8, signal })) {
      if (signal.aborted) return end('cancelled');
      if (chunk.type === 'text') {
        raw += chunk.text;
        show(stripper.push(chunk.text));
      } else usage = chunk.usage;
    }
    if (signal.aborted) return end('cancelled');
    logger.info('narration', { provider: provider.kind, model: provider.model, ms: Date.now() - started, inputTokens: usage?.inputTokens, outputTokens: usage?.outputTokens });
    return end('complete');
  } catch (err) {
    if (signal.aborted || (err instanceof ProviderError && err.kind === 'cancelled')) return end('cancelled');
    const kind = err instanceof ProviderError ? err.kind : 'internal';
    logger.warn('narration failed', { provider: provider.kind, kind, error: err instanceof Error ? err.message : String(err) });
    const message = err instanceof ProviderError ? err.message : 'The narrator failed unexpectedly';
    return end('failed', { kind, message });
  }
}
