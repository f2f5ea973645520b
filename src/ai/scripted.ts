/**
 * The scripted narrator: no model, no network. Used in tests and when no AI
 * is configured (`npm run dev` without an endpoint), and labelled as such
 * wherever its words appear. It answers from the last player message with a
 * fixed, deterministic text streamed word by word, so everything around the
 * narrator (streaming, cancel, storage) works and is testable offline.
 */
import { ProviderError, type GenerateRequest, type NarrationProvider, type StreamChunk } from './provider';

export const SCRIPTED_LABEL = 'Scripted narrator (no AI model configured)';

export function scriptedProvider(options: { delayMs?: number; script?: (request: GenerateRequest) => string } = {}): NarrationProvider {
  const script = options.script ?? ((request) => {
    const user = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    // At the table the GM's words are the <gm_request> block of the prompt (ai/context.ts).
    const asking = (/<gm_request>\n([\s\S]*?)\n<\/gm_request>/.exec(user)?.[1] ?? user).trim();
    // Directives in the GM's request are repeated as a model would write them, so their path can be tried offline.
    const directives = asking.match(/\[\[[^\]]{1,300}\]\]/g) ?? [];
    const last = asking.replace(/\[\[[^\]]{1,300}\]\]/g, '').trim();
    const asked = last.length > 160 ? `${last.slice(0, 157)}…` : last;
    return `[Scripted narrator] The scene holds its breath as you act${asked ? ` — "${asked}"` : ''}. Shadows shift; the world waits for the GM's word. (No AI model is configured: set one to hear a real narrator.)${directives.map((d) => `\n${d}`).join('')}`;
  });
  return {
    kind: 'scripted',
    model: 'scripted',
    label: SCRIPTED_LABEL,
    async *stream(request: GenerateRequest): AsyncGenerator<StreamChunk> {
      const words = script(request).split(/(?<= )/);
      let produced = 0;
      for (const word of words) {
        if (request.signal?.aborted) throw new ProviderError('cancelled', 'The narration was cancelled');
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        produced++;
        yield { type: 'text', text: word };
      }
      const input = request.messages.reduce((n, m) => n + Math.ceil(m.content.length / 4), 0);
      yield { type: 'done', finishReason: 'stop', usage: { inputTokens: input, outputTokens: produced } };
    },
  };
}
