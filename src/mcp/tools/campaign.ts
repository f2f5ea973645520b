/** Campaigns and what they remember: campaigns, characters, NPCs, notes, search, history and rollback. */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import { CharacterSheetSchema } from '../../game/character-sheet';
import { NOTE_CATEGORIES, NpcDataSchema, NpcGmOnlySchema } from '../../game/lore';
import { createCampaign, getCampaign, listCampaigns } from '../../services/campaigns';
import { getCharacter, listCharacters, updateCharacter } from '../../services/characters';
import { listRevisions, restoreRevision } from '../../services/history';
import { createLore, listLore } from '../../services/lore';
import { createNote, listNotes } from '../../services/notes';
import type { Scope } from '../../services/scope';
import { ENTITY_TYPES, type EntityType } from '../../services/versioned-store';
import { defineTool } from '../tool';

const id = z.string().uuid();
const loose = z.looseObject({});
const items = z.object({ items: z.array(loose) });
const rows = (list: unknown[]) => ({ items: list as Record<string, unknown>[] });

export function registerCampaignTools(server: McpServer, scope: Scope): void {
  defineTool(server, scope, 'list_campaigns', {
    title: 'List my campaigns',
    description: 'The campaigns you are a member of, with your role in each (gm, player or spectator). Start here to find campaign ids.',
    input: z.object({ status: z.enum(['active', 'archived', 'all']).default('active') }),
    output: items,
    annotations: { readOnlyHint: true },
    summary: (out) => out.items.map((c) => `${c.name} (${c.myRole}) — ${c.id}`).join('\n') || 'No campaigns yet.',
    run: async ({ status }) => rows(await listCampaigns(scope, { status })),
  });

  defineTool(server, scope, 'create_campaign', {
    title: 'Create a campaign',
    description: 'Creates a campaign with you as its GM.',
    input: z.object({
      name: z.string().trim().min(1).max(120), gameSystem: z.string().trim().min(1).max(60).default('dnd5e'),
      setting: z.string().max(200).default(''), description: z.string().max(5000).default(''),
    }),
    output: loose,
    run: async (input) => (await createCampaign(scope, input)) as Record<string, unknown>,
  });

  defineTool(server, scope, 'get_campaign', {
    title: 'Get a campaign',
    description: 'A campaign: name, setting, description, your role, and its members.',
    input: z.object({ campaignId: id }),
    output: loose,
    annotations: { readOnlyHint: true },
    run: async ({ campaignId }) => (await getCampaign(scope, campaignId)) as Record<string, unknown>,
  });

  defineTool(server, scope, 'search_campaign', {
    title: "Search the campaign's memory",
    description: "Searches what the campaign remembers: NPCs, locations, plot threads (by name) and notes (by title and text). Players see only what the GM has shared with the party.",
    input: z.object({ campaignId: id, query: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(50).default(20) }),
    output: z.object({ npcs: z.array(loose), locations: z.array(loose), threads: z.array(loose), notes: z.array(loose) }),
    annotations: { readOnlyHint: true },
    run: async ({ campaignId, query, limit }) => {
      const [npcs, locations, threads, notes] = await Promise.all([
        listLore(scope, 'npc', campaignId, { q: query }), listLore(scope, 'location', campaignId, { q: query }), listLore(scope, 'plot_thread', campaignId, { q: query }),
        listNotes(scope, campaignId, { limit: 200, offset: 0 }),
      ]);
      const needle = query.toLowerCase();
      return {
        npcs: npcs.slice(0, limit) as Record<string, unknown>[], locations: locations.slice(0, limit) as Record<string, unknown>[], threads: threads.slice(0, limit) as Record<string, unknown>[],
        notes: notes.filter((n) => `${n.title}\n${n.body}`.toLowerCase().includes(needle)).slice(0, limit) as unknown as Record<string, unknown>[],
      };
    },
  });

  defineTool(server, scope, 'get_character', {
    title: 'Get a character',
    description: 'A character and its sheet (abilities, skills, hit points, attacks, spells, inventory). Leave characterId out to list the campaign\'s characters.',
    input: z.object({ campaignId: id, characterId: id.optional() }),
    output: loose,
    annotations: { readOnlyHint: true },
    run: async ({ campaignId, characterId }) => (characterId ? (await getCharacter(scope, campaignId, characterId)) as Record<string, unknown> : rows(await listCharacters(scope, campaignId, {}))),
  });

  defineTool(server, scope, 'update_character', {
    title: 'Update a character',
    description: "Changes a character's name or sheet sections (players their own, the GM any). Sheet sections you send replace those sections; the merged sheet is validated and a wrong field is named. Send the version you read to avoid overwriting someone else's change (a newer version is a conflict). Every change is a revision you can roll back.",
    input: z.object({
      campaignId: id, characterId: id,
      name: z.string().trim().min(1).max(120).optional(),
      sheet: CharacterSheetSchema.partial().optional().describe('Sections to replace, e.g. {"hitPoints": {"current": 7, "max": 12, "temp": 0}}'),
      version: z.number().int().min(1).optional(),
    }),
    output: loose,
    run: async ({ campaignId, characterId, ...changes }) => (await updateCharacter(scope, campaignId, characterId, changes as never)) as Record<string, unknown>,
  });

  defineTool(server, scope, 'list_npcs', {
    title: 'List NPCs',
    description: "The campaign's non-player characters (GM-only parts only for the GM).",
    input: z.object({ campaignId: id, nameContains: z.string().trim().max(200).optional() }),
    output: items,
    annotations: { readOnlyHint: true },
    run: async ({ campaignId, nameContains }) => rows(await listLore(scope, 'npc', campaignId, { q: nameContains })),
  });

  defineTool(server, scope, 'create_npc', {
    title: 'Create an NPC',
    description: 'Adds a non-player character (GM only). `data` is what the party may learn; `gmOnly` (motivation, secrets, stat block) is never shown to players; visibility "gm" hides the NPC from players entirely.',
    input: z.object({
      campaignId: id, name: z.string().trim().min(1).max(120), visibility: z.enum(['gm', 'party']).default('gm'),
      data: NpcDataSchema.partial().default({}), gmOnly: NpcGmOnlySchema.partial().default({}),
    }),
    output: loose,
    run: async ({ campaignId, ...fields }) => (await createLore(scope, 'npc', campaignId, fields)) as Record<string, unknown>,
  });

  defineTool(server, scope, 'add_note', {
    title: 'Add a note',
    description: 'Adds a campaign note (session notes, loot, quests, lore…). Visibility: "party" (everyone), "gm" (the GM and you) or "player" (the GM, you and recipientUserId).',
    input: z.object({
      campaignId: id, title: z.string().trim().min(1).max(200), body: z.string().max(20_000).default(''),
      category: z.enum(NOTE_CATEGORIES).default('general'), visibility: z.enum(['party', 'gm', 'player']).default('party'),
      recipientUserId: id.optional(),
    }),
    output: loose,
    run: async ({ campaignId, ...fields }) => (await createNote(scope, campaignId, fields)) as Record<string, unknown>,
  });

  defineTool(server, scope, 'get_campaign_versions', {
    title: 'History of a record',
    description: 'Revisions of a character, NPC, location, plot thread or note (newest first), to see what changed and roll back. The GM may list the whole campaign\'s history by leaving the record out.',
    input: z.object({
      campaignId: id, entityType: z.enum(ENTITY_TYPES as [EntityType, ...EntityType[]]).optional(), entityId: id.optional(),
      limit: z.number().int().min(1).max(100).default(20), offset: z.number().int().min(0).default(0),
    }),
    output: items,
    annotations: { readOnlyHint: true },
    run: async ({ campaignId, ...input }) => {
      return rows(await listRevisions(scope, campaignId, input));
    },
  });

  defineTool(server, scope, 'rollback', {
    title: 'Roll a record back',
    description: 'Restores a record to one of its revisions (get_campaign_versions lists them). The restore is itself a new revision, so it can be undone.',
    input: z.object({ campaignId: id, revisionId: id }),
    output: loose,
    annotations: { destructiveHint: true },
    run: async ({ campaignId, revisionId }) => (await restoreRevision(scope, campaignId, revisionId)) as Record<string, unknown>,
  });
}
