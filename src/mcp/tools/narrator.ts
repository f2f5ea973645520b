/** The narrator's tools: generators (previews to accept with the campaign tools), recap search, and the homebrew judgement. */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { ChallengeRatingSchema, DIFFICULTIES } from '../../game/encounter';
import { generateEncounter } from '../../services/encounters';
import { generateLocation, generateNpc } from '../../services/generators';
import { judgeHomebrew, JUDGED_KINDS } from '../../services/judgement';
import { searchRecaps } from '../../services/recaps';
import type { Scope } from '../../services/scope';
import { defineTool } from '../tool';

const id = z.string().uuid();
const loose = z.looseObject({});
const idea = z.string().trim().min(1).max(500).optional().describe('What you have in mind, in a sentence');
const cr = ChallengeRatingSchema;

export function registerNarratorTools(server: McpServer, scope: Scope): void {
  defineTool(server, scope, 'generate_npc', {
    title: 'Generate an NPC (preview)',
    description: "GM: an NPC to preview — description, personality and voice for the party; motivation and secrets for the GM — written by the campaign's model or, without one, a labelled template. Nothing is stored: pass name, visibility, data and gmOnly to create_npc to keep it.",
    input: z.object({ campaignId: id, name: z.string().trim().min(1).max(80).optional(), role: z.string().trim().min(1).max(100).optional(), race: z.string().trim().min(1).max(60).optional(), locationId: id.optional(), idea }),
    output: loose,
    summary: (out) => `${out.name} (${(out.data as { role?: string }).role || 'NPC'}) — ${out.label}`,
    run: async ({ campaignId, ...input }) => (await generateNpc(scope, campaignId, input)) as Record<string, unknown>,
  });

  defineTool(server, scope, 'generate_location', {
    title: 'Generate a location (preview)',
    description: 'GM: a location to preview — what the party perceives, and secrets for the GM. Nothing is stored; the preview says how to accept it.',
    input: z.object({ campaignId: id, name: z.string().trim().min(1).max(80).optional(), kind: z.string().trim().min(1).max(100).optional(), parentLocationId: id.optional(), idea }),
    output: loose,
    summary: (out) => `${out.name} — ${out.label}`,
    run: async ({ campaignId, ...input }) => (await generateLocation(scope, campaignId, input)) as Record<string, unknown>,
  });

  defineTool(server, scope, 'generate_encounter', {
    title: 'Generate a balanced encounter (preview)',
    description: "GM: monsters for the party at a difficulty (easy, medium, hard, deadly) by the 5e XP thresholds, drawn from the stat blocks of the campaign's rulebooks (each cited to its page) or from monsters you name with challenge ratings. The server picks and rates them; the preview holds a GM-only note for add_note and the initiative frames for post_to_session.",
    input: z.object({
      campaignId: id, difficulty: z.enum(DIFFICULTIES).default('medium'),
      partyLevels: z.array(z.number().int().min(1).max(20)).min(1).max(12).optional().describe("Defaults to the player characters' levels"),
      creatureType: z.string().trim().min(1).max(40).optional(), maxCr: cr.optional(),
      monsters: z.array(z.object({ name: z.string().trim().min(1).max(80), cr })).min(1).max(50).optional(), idea,
    }),
    output: loose,
    summary: (out) => `${out.title}: ${(out.monsters as { count: number; name: string }[]).map((m) => `${m.count} × ${m.name}`).join(', ')} — ${out.rating} (${(out.xp as { adjusted: number }).adjusted} adjusted XP)`,
    run: async ({ campaignId, ...input }) => (await generateEncounter(scope, campaignId, input)) as Record<string, unknown>,
  });

  defineTool(server, scope, 'search_recaps', {
    title: "Search past sessions' recaps",
    description: "Finds ended sessions by what their recaps say (players: the player-safe recaps; the GM: the GM's too), best first, with the matching words marked.",
    input: z.object({ campaignId: id, query: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(20).default(10) }),
    output: z.object({ items: z.array(loose), semantic: z.boolean() }),
    annotations: { readOnlyHint: true },
    summary: (out) => out.items.map((i) => `${i.title}: ${String(i.snippet).replace(/<\/?mark>/g, '')}`).join('\n') || 'No recap matches.',
    run: async ({ campaignId, query, limit }) => (await searchRecaps(scope, campaignId, { q: query, limit })) as never,
  });

  defineTool(server, scope, 'judge_homebrew', {
    title: "The model's opinion of homebrew",
    description: "The campaign model's opinion of a homebrew spell, item, monster or feature: its balance against comparable official options found in the campaign's rulebooks, each comparison cited. Always marked as opinion, not a rule; without a model, the comparable passages alone.",
    input: z.object({ campaignId: id, text: z.string().trim().min(10).max(4000), kind: z.enum(JUDGED_KINDS).default('other') }),
    output: loose,
    annotations: { readOnlyHint: true },
    run: async ({ campaignId, ...input }) => (await judgeHomebrew(scope, campaignId, input)) as Record<string, unknown>,
  });
}
