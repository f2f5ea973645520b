/**
 * Workers AI text generation (production default), streaming: the binding
 * answers `stream: true` with server-sent events whose `response` field
 * carries each piece of text; structured output uses its JSON mode (a JSON
 * schema in `response_format`, answered whole, not streamed). Only built when the `AI` binding exists
 * (production); tested with a typed fake of the binding.
 */
import { sseData } from './sse';
import { ProviderError, type GenerateRequest, type NarrationProvider, type StreamChunk } from './provider';

/** The part of the binding the narrator uses. */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
}

export const DEFAULT_WORKERS_AI_MODEL = '@cf/meta/llama-3.3-70b-instruct-fp8-fast';

export function workersAiProvider(ai: AiBinding, model = DEFAULT_WORKERS_AI_MODEL): NarrationProvider {
  return {
    kind: 'workers-ai',
    model,
    label: `${model} (Workers AI)`,
    async *stream(request: GenerateRequest): AsyncGenerator<StreamChunk> {
      if (request.signal?.aborted) throw new ProviderError('cancelled', 'The narration was cancelled');
      let result: unknown;
      const options = { ...(request.maxTokens ? { max_tokens: request.maxTokens } : {}), ...(request.temperature !== undefined ? { temperature: request.temperature } : {}) };
      try {
        // JSON mode does not stream: the answer comes whole, already fitted to the schema.
        result = request.jsonSchema
          ? await ai.run(model, { messages: request.messages, ...options, response_format: { type: 'json_schema', json_schema: request.jsonSchema } })
          : await ai.run(model, { messages: request.messages, stream: true, ...options });
      } catch (err) {
        const message = (err as Error)?.message ?? String(err);
        if (/429|rate/i.test(message)) throw new ProviderError('rate_limited', 'Workers AI is rate-limiting this account; try again shortly');
        throw new ProviderError('unavailable', `Workers AI failed: ${message}`);
      }
      if (request.jsonSchema) {
        const whole = result as { response?: unknown; usage?: { prompt_tokens?: number; completion_tokens?: number } } | null;
        if (!whole || whole.response === undefined) throw new ProviderError('bad_response', 'Workers AI gave no answer');
        yield { type: 'text', text: typeof whole.response === 'string' ? whole.response : JSON.stringify(whole.response) };
        yield { type: 'done', finishReason: 'stop', usage: whole.usage ? { inputTokens: whole.usage.prompt_tokens ?? 0, outputTokens: whole.usage.completion_tokens ?? 0 } : null };
        return;
      }
      if (!(result instanceof ReadableStream)) throw new ProviderError('bad_response', 'Workers AI did not stream');
      let usage: { inputTokens: number; outputTokens: number } | null = null;
      for await (const data of sseData(result as ReadableStream<Uint8Array>, request.signal)) {
        let event: { response?: string; usage?: { prompt_tokens?: number; completion_tokens?: number } };
        try {
          event = JSON.parse(data);
        } catch {
          throw new ProviderError('bad_response', 'Workers AI sent a malformed stream chunk');
        }
        if (event.response) yield { type: 'text', text: event.response };
        if (event.usage) usage = { inputTokens: event.usage.prompt_tokens ?? 0, outputTokens: event.usage.completion_tokens ?? 0 };
      }
      yield { type: 'done', finishReason: 'stop', usage };
    },
  };
}
