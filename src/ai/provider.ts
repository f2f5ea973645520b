/**
 * The narrator's model, behind one small interface: a chat in, a stream of
 * text out, cancellable end to end with an AbortSignal. Three providers:
 * Workers AI (production), any OpenAI-compatible endpoint (a local Ollama,
 * vLLM or llama.cpp server, or a hosted model through AI Gateway), and a
 * scripted narrator for tests and offline play, labelled as such wherever
 * its words appear.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerateRequest {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /**
   * Structured output: the JSON schema the answer must fit, for providers with a JSON-schema mode (Workers AI);
   * the others ignore it and the caller's validation and repair (ai/structured.ts) stay the guard.
   */
  jsonSchema?: Record<string, unknown>;
  /** Cancels the request and the stream (the GM's "stop", a superseding narration, a closed table). */
  signal?: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export type StreamChunk =
  | { type: 'text'; text: string }
  | { type: 'done'; finishReason: string | null; usage: Usage | null };

export type ProviderKind = 'workers-ai' | 'openai-compatible' | 'scripted';

export interface NarrationProvider {
  readonly kind: ProviderKind;
  readonly model: string;
  /** What users are told is speaking, e.g. "Scripted narrator (no AI model configured)". */
  readonly label: string;
  stream(request: GenerateRequest): AsyncGenerator<StreamChunk>;
}

/** Why a generation failed, in terms the table can act on. */
export type ProviderErrorKind = 'cancelled' | 'timeout' | 'rate_limited' | 'unavailable' | 'bad_response';

export class ProviderError extends Error {
  constructor(readonly kind: ProviderErrorKind, message: string, readonly retryAfterSeconds?: number) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** The whole text of a stream (for callers that do not stream: generators, answers). */
export async function complete(provider: NarrationProvider, request: GenerateRequest): Promise<{ text: string; usage: Usage | null }> {
  let text = '';
  let usage: Usage | null = null;
  for await (const chunk of provider.stream(request)) {
    if (chunk.type === 'text') text += chunk.text;
    else usage = chunk.usage;
  }
  return { text, usage };
}
