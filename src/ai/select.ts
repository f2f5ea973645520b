/**
 * Which narrator speaks: Workers AI when the `AI` binding exists
 * (production), else the OpenAI-compatible endpoint the operator configured
 * (`NARRATOR_BASE_URL`, e.g. a local Ollama), else the scripted narrator —
 * never a pretence: each provider's `label` says what it is. A campaign may
 * prefer one (services/narrator-settings.ts); a preference the platform
 * cannot serve falls back to this order.
 */
import type { Config } from '../config';
import { openAiCompatibleProvider } from './openai-compatible';
import type { NarrationProvider } from './provider';
import { scriptedProvider } from './scripted';
import { DEFAULT_WORKERS_AI_MODEL, workersAiProvider, type AiBinding } from './workers-ai';

export type ProviderPreference = 'default' | 'scripted' | 'workers-ai' | 'endpoint';

type NarratorConfig = { narrator: Pick<Config['narrator'], 'baseUrl' | 'model' | 'apiKey' | 'workersAiModel' | 'scriptedDelayMs'> };

/** The preferences this platform can serve right now. */
export function availableProviders(bindings: { AI?: AiBinding }, config: NarratorConfig): ProviderPreference[] {
  return ['default', 'scripted', ...(bindings.AI ? ['workers-ai' as const] : []), ...(config.narrator.baseUrl ? ['endpoint' as const] : [])];
}

export function selectProvider(bindings: { AI?: AiBinding }, config: NarratorConfig, preference: ProviderPreference = 'default'): NarrationProvider {
  const { narrator } = config;
  const workersAi = () => workersAiProvider(bindings.AI!, narrator.workersAiModel ?? DEFAULT_WORKERS_AI_MODEL);
  const endpoint = () => openAiCompatibleProvider({ baseUrl: narrator.baseUrl!, model: narrator.model, apiKey: narrator.apiKey ?? undefined });
  const scripted = () => scriptedProvider({ delayMs: narrator.scriptedDelayMs });
  if (preference === 'scripted') return scripted();
  if (preference === 'workers-ai' && bindings.AI) return workersAi();
  if (preference === 'endpoint' && narrator.baseUrl) return endpoint();
  if (bindings.AI) return workersAi();
  if (narrator.baseUrl) return endpoint();
  return scripted();
}
