/**
 * Voices (opt-in per campaign): narrations and NPC lines spoken by the
 * platform's speech model (ai/speech.ts), each NPC with its own speaker, the
 * audio kept in R2 by content hash (`audio/{campaignId}/{hash}`: the same
 * words in the same voice are synthesised once) and served to members with
 * range support. Audio of a GM-only narration is marked `gm` and served to
 * GMs only. Every synthesis is counted (characters, estimated cost) and held
 * to the allowances and the per-user pace like any model call; the
 * placeholder tones are free.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { selectSpeech, MAX_SPEECH_CHARS, type Speech } from '../ai/speech';
import type { AiBinding } from '../ai/workers-ai';
import { campaignNarrator, npcs } from '../db/schema';
import { isGm } from '../game/roles';
import { sha256Hex } from '../auth/encoding';
import { notFound, ProblemError } from '../lib/problem';
import { overBudget, recordUsage, takeAiCall } from './ai-usage';
import { requireMember } from './policy';
import type { Scope } from './scope';

const SPEECH_TIMEOUT_MS = 30_000;

/** Where a campaign's audio lives in R2, and the API path members fetch it from. */
const audioKey = (campaignId: string, audioId: string) => `audio/${campaignId}/${audioId}`;
const audioUrl = (campaignId: string, audioId: string) => `/api/campaigns/${campaignId}/audio/${audioId}`;

export const speechFor = (scope: Scope): Speech => selectSpeech({ AI: scope.env.AI as AiBinding | undefined }, scope.config);

/** The campaign's voice settings (no authorisation: callers check). */
export async function voiceSettings(scope: Scope, campaignId: string): Promise<{ enabled: boolean; narratorVoice: string }> {
  const row = await scope.db.select({ enabled: campaignNarrator.voiceEnabled, voice: campaignNarrator.narratorVoice }).from(campaignNarrator).where(eq(campaignNarrator.campaignId, campaignId)).get();
  return { enabled: Boolean(row?.enabled), narratorVoice: row?.voice ?? '' };
}

/** A speaker the model has: the one asked for when it has it, else one chosen steadily from `seed` (an NPC keeps its voice). */
export function speakerFor(speech: Speech, asked: string, seed: string | null): string {
  if (asked && speech.voices.includes(asked)) return asked;
  if (!seed) return speech.voices[0]!;
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return speech.voices[h % speech.voices.length]!;
}

async function npcSpeaker(scope: Scope, speech: Speech, campaignId: string, npcId: string, audience: 'all' | 'gm'): Promise<string> {
  const row = await scope.db.select().from(npcs).where(and(eq(npcs.id, npcId), eq(npcs.campaignId, campaignId), isNull(npcs.deletedAt))).get();
  if (!row || (audience === 'all' && row.visibility === 'gm')) throw notFound('NPC');
  return speakerFor(speech, String((row.data as { speaker?: string }).speaker ?? ''), row.id);
}

export interface SpokenAudio {
  audioId: string;
  /** `GET` it with a member's token (byte ranges supported). */
  url: string;
  contentType: string;
  bytes: number;
  voice: string;
  label: string;
  cached: boolean;
}

/**
 * Speaks `text` for `userId` (who pays, in the usage view) or returns the stored audio of the same words in the
 * same voice. Throws 429 when an allowance or the pace is spent, 503 when the model fails.
 */
export async function synthesize(scope: Scope, who: { campaignId: string; userId: string }, input: { text: string; voice: string; audience: 'party' | 'gm'; speech?: Speech }): Promise<SpokenAudio> {
  const speech = input.speech ?? speechFor(scope);
  const text = input.text.trim().slice(0, MAX_SPEECH_CHARS);
  const audioId = await sha256Hex(`${speech.kind}\n${speech.model}\n${input.voice}\n${text}`);
  const key = audioKey(who.campaignId, audioId);
  const url = audioUrl(who.campaignId, audioId);
  const stored = await scope.env.FILES.head(key);
  const label = speech.label;
  if (stored) {
    // A GM's preview of the very words the table now hears: the stored audio becomes the table's too.
    if (stored.customMetadata?.audience === 'gm' && input.audience === 'party') {
      const object = await scope.env.FILES.get(key);
      if (object) await scope.env.FILES.put(key, await object.arrayBuffer(), { httpMetadata: object.httpMetadata, customMetadata: { ...object.customMetadata, audience: 'party' } });
    }
    return { audioId, url, contentType: stored.httpMetadata?.contentType ?? 'audio/mpeg', bytes: stored.size, voice: input.voice, label, cached: true };
  }
  if (speech.kind !== 'tones') {
    const spent = await overBudget(scope, who.campaignId, who.userId);
    if (spent) throw new ProblemError(429, spent);
    await takeAiCall(scope, who.userId);
  }
  const started = Date.now();
  let audio;
  try {
    audio = await speech.synthesize(text, input.voice, AbortSignal.timeout(SPEECH_TIMEOUT_MS));
  } catch (err) {
    await recordUsage(scope, { ...who, kind: 'speech', provider: speech.kind, model: speech.model, status: 'failed', inputTokens: 0, outputTokens: 0, durationMs: Date.now() - started, characters: 0 }).catch(() => {});
    throw new ProblemError(503, `The voice could not be made (${err instanceof Error ? err.message : 'speech failed'}); the text stands, try again later`);
  }
  await scope.env.FILES.put(key, audio.bytes, { httpMetadata: { contentType: audio.contentType }, customMetadata: { audience: input.audience, voice: input.voice, model: speech.model } });
  await recordUsage(scope, { ...who, kind: 'speech', provider: speech.kind, model: speech.model, status: 'complete', inputTokens: Math.ceil(text.length / 4), outputTokens: 0, durationMs: Date.now() - started, characters: text.length });
  return { audioId, url, contentType: audio.contentType, bytes: audio.bytes.byteLength, voice: input.voice, label, cached: false };
}

/** A finished narration's audio, in the NPC's voice or the narrator's (the room calls this for the GM who asked). */
export async function speakNarration(scope: Scope, who: { campaignId: string; userId: string }, narration: { text: string; audience: 'all' | 'gm'; npcId?: string | null }): Promise<SpokenAudio | null> {
  const settings = await voiceSettings(scope, who.campaignId);
  if (!settings.enabled || !narration.text.trim()) return null;
  const speech = speechFor(scope);
  const voice = narration.npcId ? await npcSpeaker(scope, speech, who.campaignId, narration.npcId, narration.audience) : speakerFor(speech, settings.narratorVoice, null);
  return synthesize(scope, who, { text: narration.text, voice, audience: narration.audience === 'gm' ? 'gm' : 'party', speech });
}

/** The GM hears a line in a voice (an NPC's, a speaker by name, or the narrator's) before the table does. */
export async function previewVoice(scope: Scope, campaignId: string, input: { text: string; npcId?: string; voice?: string }) {
  const gm = await requireMember(scope, campaignId, 'gm', true);
  const settings = await voiceSettings(scope, gm.campaign.id);
  if (!settings.enabled) throw new ProblemError(409, 'Voices are off for this campaign; turn them on in the narrator settings first');
  const speech = speechFor(scope);
  if (input.voice && !speech.voices.includes(input.voice)) {
    throw new ProblemError(400, `The speech model has no speaker "${input.voice}"`, { errors: [{ path: 'body.voice', message: `One of: ${speech.voices.join(', ')}` }] });
  }
  const voice = input.voice ?? (input.npcId ? await npcSpeaker(scope, speech, gm.campaign.id, input.npcId, 'gm') : speakerFor(speech, settings.narratorVoice, null));
  return synthesize(scope, { campaignId: gm.campaign.id, userId: gm.userId }, { text: input.text, voice, audience: 'gm', speech });
}

/** Stored audio for a member (GM-only audio for GMs), with the request's byte range. */
export async function readAudio(scope: Scope, campaignId: string, audioId: string, range: Headers) {
  const member = await requireMember(scope, campaignId);
  const object = await scope.env.FILES.get(audioKey(member.campaign.id, audioId), { range });
  if (!object) throw notFound('Audio');
  if (object.customMetadata?.audience === 'gm' && !isGm(member)) {
    await object.body.cancel();
    throw notFound('Audio');
  }
  return object;
}

/** The voices on offer, for the settings screen. */
export function speechInfo(scope: Scope) {
  const speech = speechFor(scope);
  return { kind: speech.kind, model: speech.model, label: speech.label, voices: [...speech.voices] };
}
