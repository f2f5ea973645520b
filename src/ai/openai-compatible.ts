/**
 * Any OpenAI-compatible chat endpoint (`POST {baseUrl}/chat/completions`
 * with `stream: true`): a local Ollama, vLLM or llama.cpp server for
 * `npm run dev`, or a hosted model (through AI Gateway in production).
 * Streams the deltas; a 429 or 5xx before the stream starts is retried with
 * exponential backoff and jitter (at most MAX_RETRIES times, honouring
 * Retry-After up to MAX_WAIT_MS); an error inside the stream ends it with a
 * `bad_response` error; no response within `timeoutMs` is a `timeout`.
 */
import { sseData } from './sse';
import { ProviderError, type GenerateRequest, type NarrationProvider, type StreamChunk } from './provider';

export interface OpenAiCompatibleOptions {
  /** e.g. `http://localhost:11434/v1` (Ollama) or an AI Gateway URL. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Until the first byte of the answer. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** For tests: how to wait between retries. */
  sleep?: (ms: number) => Promise<void>;
}

export const MAX_RETRIES = 2;
const MAX_WAIT_MS = 10_000;

export function openAiCompatibleProvider(options: OpenAiCompatibleOptions): NarrationProvider {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    kind: 'openai-compatible',
    model: options.model,
    label: `${options.model} (OpenAI-compatible endpoint)`,
    async *stream(request: GenerateRequest): AsyncGenerator<StreamChunk> {
      const response = await connect(request);
      let finishReason: string | null = null;
      let usage: { inputTokens: number; outputTokens: number } | null = null;
      for await (const data of sseData(response.body!, request.signal)) {
        let event: { choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[]; usage?: { prompt_tokens?: number; completion_tokens?: number }; error?: { message?: string } };
        try {
          event = JSON.parse(data);
        } catch {
          throw new ProviderError('bad_response', 'The model sent a malformed stream chunk');
        }
        if (event.error) throw new ProviderError('bad_response', `The model stopped with an error: ${event.error.message ?? 'unknown error'}`);
        const choice = event.choices?.[0];
        if (choice?.delta?.content) yield { type: 'text', text: choice.delta.content };
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (event.usage) usage = { inputTokens: event.usage.prompt_tokens ?? 0, outputTokens: event.usage.completion_tokens ?? 0 };
      }
      yield { type: 'done', finishReason, usage };
    },
  };

  async function connect(request: GenerateRequest): Promise<Response> {
    const body = JSON.stringify({
      model: options.model, messages: request.messages, stream: true, stream_options: { include_usage: true },
      ...(request.maxTokens ? { max_tokens: request.maxTokens } : {}), ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    });
    for (let attempt = 0; ; attempt++) {
      if (request.signal?.aborted) throw new ProviderError('cancelled', 'The narration was cancelled');
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
      const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST', signal, body,
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
        });
      } catch (err) {
        if (request.signal?.aborted) throw new ProviderError('cancelled', 'The narration was cancelled');
        if (timeout.aborted) throw new ProviderError('timeout', `The model did not answer within ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s`);
        throw new ProviderError('unavailable', `The model endpoint cannot be reached (${(err as Error).message})`);
      }
      if (response.ok && response.body) return response;
      const retryable = response.status === 429 || response.status >= 500;
      const retryAfter = Number(response.headers.get('retry-after'));
      await response.body?.cancel().catch(() => undefined);
      if (!retryable || attempt >= MAX_RETRIES) {
        if (response.status === 429) throw new ProviderError('rate_limited', 'The model is rate-limited; try again shortly', Number.isFinite(retryAfter) ? retryAfter : undefined);
        if (retryable) throw new ProviderError('unavailable', `The model endpoint answered ${response.status}; try again later`);
        throw new ProviderError('bad_response', `The model endpoint refused the request (${response.status}); check the model name and the key`);
      }
      // Exponential backoff with full jitter, or the server's Retry-After, bounded.
      const backoff = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.random() * 500 * 2 ** attempt;
      await sleep(Math.min(MAX_WAIT_MS, backoff));
    }
  }
}
