/**
 * Generators that make a preview the caller can accept as a normal record:
 * a first-level character (abilities by standard array, point buy or rolled
 * 4d6-drop-lowest by the dice engine; the class's numbers), with a name and
 * backstory from the campaign's model as validated structured output, or
 * from a template without one (labelled). Nothing is stored: accepting is
 * `POST /api/campaigns/{id}/characters` with the preview's name and sheet.
 */
import { z } from 'zod';
import { generateStructured, GenerationError } from '../ai/structured';
import { buildCharacter, type AbilityMethod, type ClassName } from '../game/character-builder';
import { cryptoRng } from '../game/dice';
import { ProblemError } from '../lib/problem';
import { overBudget, recordUsage } from './ai-usage';
import { narratorFor } from './narrator-settings';
import { requireMember } from './policy';
import type { Scope } from './scope';

export const TEMPLATE_LABEL = 'Template (no AI model configured)';

const StorySchema = z.object({
  name: z.string().trim().min(1).max(80),
  backstory: z.string().trim().min(1).max(1500),
  personality: z.object({ trait: z.string().max(200), ideal: z.string().max(200), bond: z.string().max(200), flaw: z.string().max(200) }),
});
type Story = z.infer<typeof StorySchema>;

const NAMES = ['Arin', 'Brenna', 'Corwin', 'Dessa', 'Eldric', 'Fenna', 'Garrick', 'Hale', 'Isolde', 'Jory', 'Kestrel', 'Lark'];

function templateStory(input: { name?: string; race?: string; background?: string }, className: string): Story {
  const name = input.name ?? NAMES[cryptoRng.die(NAMES.length) - 1]!;
  const who = [input.race, className].filter(Boolean).join(' ');
  return {
    name,
    backstory: `${name} is a ${who}${input.background ? ` with a ${input.background}'s past` : ''}, new to adventuring and looking for a reason to stay on the road. (Written from a template: no AI model is configured; edit freely.)`,
    personality: { trait: 'Curious about everything', ideal: 'Loyalty to friends', bond: 'A debt to someone back home', flaw: 'Trusts too quickly' },
  };
}

export async function generateCharacter(scope: Scope, campaignId: string, input: { className: ClassName; method: AbilityMethod; name?: string; race?: string; background?: string }) {
  const member = await requireMember(scope, campaignId, 'player', true);
  const built = buildCharacter(input, cryptoRng);
  const className = built.sheet.class;
  const { provider } = await narratorFor(scope, member.campaign.id);
  let story: Story;
  let label: string;
  if (provider.kind === 'scripted' || (await overBudget(scope, member.campaign.id, member.userId))) {
    story = templateStory(input, className);
    label = provider.kind === 'scripted' ? TEMPLATE_LABEL : 'Template (the narrator allowance for today is spent)';
  } else {
    const started = Date.now();
    try {
      const out = await generateStructured(provider, [
        { role: 'system', content: 'You create characters for a tabletop role-playing game. Reply with only a JSON object: {"name": string, "backstory": string (at most 120 words), "personality": {"trait": string, "ideal": string, "bond": string, "flaw": string}}. No numbers of the game: the server sets them.' },
        { role: 'user', content: JSON.stringify({ class: className, race: input.race ?? null, background: input.background ?? null, name: input.name ?? null, campaign: member.campaign.name }) },
      ], StorySchema, { signal: AbortSignal.timeout(30_000) });
      story = { ...out.value, name: input.name ?? out.value.name };
      label = provider.label;
      await recordUsage(scope, { campaignId: member.campaign.id, userId: member.userId, kind: 'generation', provider: provider.kind, model: provider.model, status: 'complete', ...out.usage, durationMs: Date.now() - started });
    } catch (err) {
      if (err instanceof GenerationError) throw new ProblemError(502, `${err.message}`);
      throw new ProblemError(503, 'The narrator model is not answering; try again in a minute, or generate without it');
    }
  }
  const p = story.personality;
  return {
    name: story.name,
    sheet: { ...built.sheet, notes: `${story.backstory}\n\nTrait: ${p.trait}\nIdeal: ${p.ideal}\nBond: ${p.bond}\nFlaw: ${p.flaw}` },
    rolls: built.rolls,
    method: input.method,
    label,
    accept: { method: 'POST', path: `/api/campaigns/${member.campaign.id}/characters`, body: 'name and sheet of this preview' },
  };
}
