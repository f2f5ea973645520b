/**
 * The one way the generators and the content judgement ask the campaign's
 * model for structured output: the scripted narrator means a template (the
 * caller's, labelled); a spent allowance means the template too, saying why;
 * otherwise the per-user pace is taken, the model answers as JSON validated
 * by the caller's zod schema (JSON-schema mode where the provider has it,
 * one repair otherwise), the call is recorded, and a failure is a problem
 * that says what to do.
 */
import type { z } from 'zod';
import { ProviderError, type ChatMessage } from '../ai/provider';
import { generateStructured, GenerationError } from '../ai/structured';
import { ProblemError } from '../lib/problem';
import { metered, overBudget, takeAiCall } from './ai-usage';
import { narratorFor } from './narrator-settings';
import type { Member } from './policy';
import type { Scope } from './scope';

export const TEMPLATE_LABEL = 'Template (no AI model configured)';
export const SPENT_LABEL = 'Template (the narrator allowance is spent)';

/** What a model is told of the campaign when it writes for it (inside the user message, as data). */
export const campaignBrief = (member: Member) => ({ campaign: member.campaign.name, setting: member.campaign.setting ?? '' });

export interface Authored<T> {
  /** Null only when there is no template (a judgement has none): `label` then says why nothing was written. */
  value: T;
  /** Who wrote it: the model's label, or a template's. */
  label: string;
  byModel: boolean;
}

export async function authorWith<S extends z.ZodType, T extends z.infer<S> | null>(
  scope: Scope,
  who: { campaignId: string; userId: string },
  ask: { kind: 'generation' | 'judgement'; messages: ChatMessage[]; schema: S; maxTokens?: number; template: () => T },
): Promise<Authored<z.infer<S> | T>> {
  const { provider } = await narratorFor(scope, who.campaignId);
  const fallback = (label: string) => ({ value: ask.template(), label, byModel: false });
  if (provider.kind === 'scripted') return fallback(TEMPLATE_LABEL);
  const spent = await overBudget(scope, who.campaignId, who.userId);
  if (spent) return fallback(`${SPENT_LABEL}: ${spent}`);
  await takeAiCall(scope, who.userId);
  try {
    const out = await metered(scope, { ...who, kind: ask.kind, provider, countFailures: true },
      () => generateStructured(provider, ask.messages, ask.schema, { signal: AbortSignal.timeout(30_000), maxTokens: ask.maxTokens }));
    return { value: out.value, label: provider.label, byModel: true };
  } catch (err) {
    if (err instanceof GenerationError) throw new ProblemError(502, err.message);
    if (err instanceof ProviderError && err.kind === 'rate_limited') {
      throw new ProblemError(503, 'The narrator model is busy (rate-limited by its provider); try again in a minute', {}, { 'Retry-After': String(err.retryAfterSeconds ?? 60) });
    }
    if (err instanceof ProviderError) throw new ProblemError(503, `The narrator model is not answering (${err.message}); try again in a minute, or use the template`);
    throw err;
  }
}
