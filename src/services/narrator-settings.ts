/**
 * The narrator's settings per campaign: which model speaks (the platform's
 * default, or a preference among what the platform can serve) and in which
 * voice (a built-in genre profile, or one derived from a sample of the GM's
 * prose), and whether narrations are spoken aloud (opt-in, with the narrator's
 * speaker; services/speech.ts). Members read them; the GM changes them. The narration, recap and
 * rules-answer services read them through `narratorFor`.
 */
import { eq } from 'drizzle-orm';
import { availableProviders, selectProvider, type ProviderPreference } from '../ai/select';
import { STYLE_PRESETS, styleFromSample, type StylePreset } from '../ai/style';
import type { AiBinding } from '../ai/workers-ai';
import { campaignNarrator } from '../db/schema';
import { ProblemError } from '../lib/problem';
import { requireMember } from './policy';
import { speechInfo } from './speech';
import type { Scope } from './scope';

/** The voices on offer (the REST door validates against them). */
export { STYLE_PRESETS, type StylePreset };

const bindings = (scope: Scope) => ({ AI: scope.env.AI as AiBinding | undefined });

/** The campaign's provider and voice, for the services that call the model (no authorisation: callers check). */
export async function narratorFor(scope: Scope, campaignId: string) {
  const row = await scope.db.select().from(campaignNarrator).where(eq(campaignNarrator.campaignId, campaignId)).get();
  return { provider: selectProvider(bindings(scope), scope.config, row?.provider ?? 'default'), style: row?.style ?? '' };
}

type NarratorRow = typeof campaignNarrator.$inferSelect;

/** The settings as members read them, from the campaign's row (none yet: the platform's defaults). */
function present(scope: Scope, row: Omit<NarratorRow, 'campaignId' | 'updatedBy'> | undefined) {
  const effective = selectProvider(bindings(scope), scope.config, row?.provider ?? 'default');
  return {
    provider: row?.provider ?? 'default',
    effective: { kind: effective.kind, model: effective.model, label: effective.label },
    available: availableProviders(bindings(scope), scope.config),
    stylePreset: (row?.stylePreset ?? null) as StylePreset | null, styleSample: row?.styleSample ?? '', style: row?.style ?? '',
    presets: STYLE_PRESETS, updatedAt: row?.updatedAt ?? null,
    speech: { enabled: Boolean(row?.voiceEnabled), narratorVoice: row?.narratorVoice ?? '', ...speechInfo(scope) },
  };
}

export async function getNarratorSettings(scope: Scope, campaignId: string) {
  const member = await requireMember(scope, campaignId);
  return present(scope, await scope.db.select().from(campaignNarrator).where(eq(campaignNarrator.campaignId, member.campaign.id)).get());
}

export async function updateNarratorSettings(scope: Scope, campaignId: string, input: { provider?: ProviderPreference; stylePreset?: StylePreset | null; styleSample?: string; speech?: { enabled?: boolean; narratorVoice?: string } }) {
  const gm = await requireMember(scope, campaignId, 'gm', true);
  const voices = speechInfo(scope).voices;
  if (input.speech?.narratorVoice && !voices.includes(input.speech.narratorVoice)) {
    throw new ProblemError(422, `The speech model has no speaker "${input.speech.narratorVoice}"`, { errors: [{ path: 'body.speech.narratorVoice', message: `One of: ${voices.join(', ')}` }] });
  }
  const available = availableProviders(bindings(scope), scope.config);
  if (input.provider && !available.includes(input.provider)) {
    throw new ProblemError(422, `This platform cannot serve "${input.provider}" now`, { errors: [{ path: 'body.provider', message: `Choose one of: ${available.join(', ')}` }] });
  }
  const current = await scope.db.select().from(campaignNarrator).where(eq(campaignNarrator.campaignId, gm.campaign.id)).get();
  const stylePreset = input.stylePreset !== undefined ? input.stylePreset : (current?.stylePreset as StylePreset | null | undefined) ?? null;
  const styleSample = input.styleSample ?? current?.styleSample ?? '';
  // A preset wins over a sample; a sample alone gives a derived voice.
  const style = stylePreset ? STYLE_PRESETS[stylePreset] : styleSample.trim() ? styleFromSample(styleSample) : '';
  const values = {
    provider: input.provider ?? current?.provider ?? 'default', stylePreset, styleSample, style,
    voiceEnabled: input.speech?.enabled ?? current?.voiceEnabled ?? false, narratorVoice: input.speech?.narratorVoice ?? current?.narratorVoice ?? '',
    updatedBy: gm.userId, updatedAt: new Date().toISOString(),
  };
  await scope.db.insert(campaignNarrator).values({ campaignId: gm.campaign.id, ...values }).onConflictDoUpdate({ target: campaignNarrator.campaignId, set: values });
  // What was just written is what members now read: no second authorisation or read.
  return present(scope, values);
}
