/**
 * Which narrator speaks: Workers AI when the `AI` binding exists
 * (production), else the OpenAI-compatible endpoint the operator configured
 * (`NARRATOR_BASE_URL`, e.g. a local Ollama), else the scripted narrator —
 * never a pretence: each provider's `label` says what it is.
 */
import type { Config } from '../config';
import { openAiCompatibleProvider } from './openai-compatible';
import type { NarrationProvider } from './provider';
import { scriptedProvider } from './scripted';
import { DEFAULT_WORKERS_AI_MODEL, workersAiProvider, type AiBinding } from './workers-ai';

export function selectProvider(bindings: { AI?: AiBinding }, config: { narrator: Pick<Config['narrator'], 'baseUrl' | 'model' | 'apiKey' | 'workersAiModel' | 'scriptedDelayMs'> }): NarrationProvider {
  const { narrator } = config;
  if (bindings.AI) return workersAiProvider(bindings.AI, narrator.workersAiModel ?? DEFAULT_WORKERS_AI_MODEL);
  if (narrator.baseUrl) return openAiCompatibleProvider({ baseUrl: narrator.baseUrl, model: narrator.model, apiKey: narrator.apiKey ?? undefined });
  return scriptedProvider({ delayMs: narrator.scriptedDelayMs });
}
