/**
 * Voices: text in, audio out, behind one small `Speech` interface. Workers AI
 * (Deepgram Aura 2 by default, a speaker per NPC; MeloTTS as an alternative)
 * where the `AI` binding exists, else an OpenAI-compatible `/audio/speech`
 * endpoint the operator configured (a local TTS server), else placeholder
 * tones: a generated WAV whose rhythm follows the words, labelled as such
 * wherever it is offered, for tests and offline play. No speech code is
 * bundled: every real voice is a remote model.
 */
import { ProviderError } from './provider';
import type { AiBinding } from './workers-ai';

export interface SpeechAudio {
  bytes: Uint8Array;
  contentType: string;
}

export type SpeechKind = 'workers-ai' | 'openai-compatible' | 'tones';

export interface Speech {
  readonly kind: SpeechKind;
  readonly model: string;
  /** What users are told is speaking, e.g. "Placeholder tones (no speech model configured)". */
  readonly label: string;
  /** The speakers on offer; the first is the narrator's default. */
  readonly voices: readonly string[];
  synthesize(text: string, voice: string, signal?: AbortSignal): Promise<SpeechAudio>;
}

/** Characters spoken at once (a narration is at most about 180 words). */
export const MAX_SPEECH_CHARS = 2000;
/** Audio accepted from a model, at most. */
const MAX_AUDIO_BYTES = 8 * 1024 * 1024;

export const DEFAULT_SPEECH_MODEL = '@cf/deepgram/aura-2-en';
export const AURA_2_VOICES = [
  'luna', 'orion', 'athena', 'zeus', 'hera', 'apollo', 'asteria', 'arcas', 'helena', 'hermes', 'iris', 'jupiter', 'juno', 'mars',
  'minerva', 'neptune', 'odysseus', 'ophelia', 'orpheus', 'pandora', 'phoebe', 'pluto', 'saturn', 'thalia', 'theia', 'vesta',
] as const;
const OPENAI_VOICES = ['alloy', 'echo', 'fable', 'onyx', 'nova', 'shimmer'] as const;
const TONE_VOICES = ['low', 'middle', 'high', 'bright', 'deep'] as const;
export const TONES_LABEL = 'Placeholder tones (no speech model configured)';

async function readAll(stream: ReadableStream<Uint8Array>, limit = MAX_AUDIO_BYTES): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of stream as unknown as AsyncIterable<Uint8Array>) {
    size += part.byteLength;
    if (size > limit) throw new ProviderError('bad_response', 'The speech model sent more audio than the platform keeps');
    parts.push(part);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.byteLength; }
  return out;
}

function base64Bytes(b64: string): Uint8Array {
  return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
}

export function workersAiSpeech(ai: AiBinding, model = DEFAULT_SPEECH_MODEL): Speech {
  const melo = /melotts/i.test(model);
  return {
    kind: 'workers-ai', model, label: `${model} (Workers AI)`,
    voices: melo ? ['en'] : AURA_2_VOICES,
    async synthesize(text, voice, signal) {
      if (signal?.aborted) throw new ProviderError('cancelled', 'Speech was cancelled');
      let result: unknown;
      try {
        result = melo ? await ai.run(model, { prompt: text, lang: 'en' }) : await ai.run(model, { text, speaker: voice, encoding: 'mp3' });
      } catch (err) {
        const message = (err as Error)?.message ?? String(err);
        throw new ProviderError(/429|rate/i.test(message) ? 'rate_limited' : 'unavailable', `Workers AI speech failed: ${message}`);
      }
      if (result instanceof ReadableStream) return { bytes: await readAll(result), contentType: 'audio/mpeg' };
      const audio = (result as { audio?: unknown } | null)?.audio;
      if (typeof audio === 'string' && audio.length * 0.75 <= MAX_AUDIO_BYTES) return { bytes: base64Bytes(audio), contentType: 'audio/mpeg' };
      throw new ProviderError('bad_response', 'Workers AI returned no audio');
    },
  };
}

export function openAiSpeech(options: { baseUrl: string; model: string; apiKey?: string; fetcher?: typeof fetch }): Speech {
  const fetcher = options.fetcher ?? fetch;
  return {
    kind: 'openai-compatible', model: options.model, label: `${options.model} (${new URL(options.baseUrl).host})`, voices: OPENAI_VOICES,
    async synthesize(text, voice, signal) {
      let res: Response;
      try {
        res = await fetcher(`${options.baseUrl.replace(/\/$/, '')}/audio/speech`, {
          method: 'POST', signal,
          headers: { 'content-type': 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
          body: JSON.stringify({ model: options.model, input: text, voice, response_format: 'mp3' }),
        });
      } catch (err) {
        if (signal?.aborted) throw new ProviderError('timeout', 'The speech endpoint did not answer in time');
        throw new ProviderError('unavailable', `The speech endpoint is not reachable: ${(err as Error).message}`);
      }
      if (res.status === 429) throw new ProviderError('rate_limited', 'The speech endpoint is rate-limiting; try again shortly');
      if (!res.ok || !res.body) throw new ProviderError('unavailable', `The speech endpoint answered ${res.status}`);
      return { bytes: await readAll(res.body), contentType: res.headers.get('content-type')?.split(';')[0] || 'audio/mpeg' };
    },
  };
}

/** A 16-bit mono PCM WAV of `samples` at `rate` Hz. */
export function wav(samples: Int16Array, rate: number): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(out.buffer);
  const ascii = (at: number, s: string) => { for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i); };
  ascii(0, 'RIFF'); view.setUint32(4, 36 + samples.length * 2, true); ascii(8, 'WAVE');
  ascii(12, 'fmt '); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
  view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
  ascii(36, 'data'); view.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => view.setInt16(44 + i * 2, s, true));
  return out;
}

/** Placeholder voices: one short tone per word (longer words hum longer), pitched by the voice. Deterministic. */
export function toneSpeech(): Speech {
  const rate = 8000;
  return {
    kind: 'tones', model: 'tones', label: TONES_LABEL, voices: TONE_VOICES,
    async synthesize(text, voice) {
      const base = 180 + 40 * Math.max(0, TONE_VOICES.indexOf(voice as (typeof TONE_VOICES)[number]));
      const words = text.split(/\s+/).filter(Boolean).slice(0, 400);
      const chunks: number[] = [];
      for (const word of words) {
        const length = Math.round(rate * Math.min(0.35, 0.06 + word.length * 0.025));
        const pitch = base + (word.charCodeAt(0) % 12) * 8;
        for (let i = 0; i < length; i++) chunks.push(Math.round(Math.sin((2 * Math.PI * pitch * i) / rate) * 6000 * Math.min(1, i / 80, (length - i) / 80)));
        for (let i = 0; i < rate * 0.05; i++) chunks.push(0);
      }
      return { bytes: wav(Int16Array.from(chunks), rate), contentType: 'audio/wav' };
    },
  };
}

/** Which speech this platform has: Workers AI when bound, else the configured endpoint, else the labelled tones. */
export function selectSpeech(bindings: { AI?: AiBinding }, config: { narrator: { speechBaseUrl: string | null; speechModel: string; apiKey: string | null } }, model?: string | null): Speech {
  if (bindings.AI) return workersAiSpeech(bindings.AI, model ?? DEFAULT_SPEECH_MODEL);
  if (config.narrator.speechBaseUrl) return openAiSpeech({ baseUrl: config.narrator.speechBaseUrl, model: config.narrator.speechModel, apiKey: config.narrator.apiKey ?? undefined });
  return toneSpeech();
}
