/** Generators: previews to accept as normal records (players and GMs). */
import { createRoute, z } from '@hono/zod-openapi';
import { ABILITY_METHODS, CLASSES, type ClassName } from '../game/character-builder';
import { CharacterSheetSchema } from '../game/character-sheet';
import { ChallengeRatingSchema, DIFFICULTIES } from '../game/encounter';
import { LocationDataSchema, LocationGmOnlySchema, NpcDataSchema, NpcGmOnlySchema } from '../game/lore';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, jsonBody, jsonResponse } from '../http/router';
import { generateEncounter } from '../services/encounters';
import { generateCharacter, generateLocation, generateNpc } from '../services/generators';

const text = (max: number) => z.string().trim().min(1).max(max);

export const generatorRoutes = createRouter();

generatorRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/generate/character', tags: ['Narrator'],
    summary: 'A first-level character to preview: abilities by standard array, point buy or 4d6 drop lowest (rolled by the server), a name and backstory from the narrator (or a template); accept it with POST …/characters',
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      body: jsonBody(z.object({
        className: z.enum(Object.keys(CLASSES) as [ClassName, ...ClassName[]]), method: z.enum(ABILITY_METHODS).default('standard-array'),
        name: text(80).optional(), race: text(60).optional(), background: text(60).optional(),
      })),
    },
    responses: {
      200: jsonResponse(z.object({
        name: z.string(), sheet: CharacterSheetSchema, rolls: z.array(z.object({ total: z.number().int(), text: z.string() })), method: z.enum(ABILITY_METHODS),
        label: z.string().describe('Who wrote the name and story: a model, or the template'), accept: z.object({ method: z.string(), path: z.string(), body: z.string() }),
      }), 'The preview'),
      ...commonErrors,
    },
  }),
  async (c) => c.json(await generateCharacter(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')) as never, 200),
);

const idea = text(500).optional().describe('What you have in mind, in a sentence (data for the model, not instructions)');
const Accept = z.object({ method: z.string(), path: z.string(), body: z.string() });
const label = z.string().describe('Who wrote the words: a model, or a template (and why)');

generatorRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/generate/npc', tags: ['Narrator'],
    summary: 'An NPC to preview (GM): description, personality and voice for the party, motivation and secrets for the GM; accept it with POST …/npcs',
    security: bearerSecurity,
    request: { params: CampaignParams, body: jsonBody(z.object({ name: text(80).optional(), role: text(100).optional(), race: text(60).optional(), locationId: z.string().uuid().optional(), idea })) },
    responses: {
      200: jsonResponse(z.object({ kind: z.literal('npc'), name: z.string(), visibility: z.enum(['party']), data: NpcDataSchema, gmOnly: NpcGmOnlySchema, label, accept: Accept }), 'The preview'),
      ...commonErrors,
    },
  }),
  async (c) => c.json(await generateNpc(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')) as never, 200),
);

generatorRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/generate/location', tags: ['Narrator'],
    summary: 'A location to preview (GM): what the party perceives, and secrets for the GM; accept it with POST …/locations',
    security: bearerSecurity,
    request: { params: CampaignParams, body: jsonBody(z.object({ name: text(80).optional(), kind: text(100).optional(), parentLocationId: z.string().uuid().optional(), idea })) },
    responses: {
      200: jsonResponse(z.object({ kind: z.literal('location'), name: z.string(), visibility: z.enum(['party']), data: LocationDataSchema, gmOnly: LocationGmOnlySchema, label, accept: Accept }), 'The preview'),
      ...commonErrors,
    },
  }),
  async (c) => c.json(await generateLocation(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')) as never, 200),
);

const cr = ChallengeRatingSchema;
const Thresholds = z.object({ easy: z.number().int(), medium: z.number().int(), hard: z.number().int(), deadly: z.number().int() });

generatorRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/generate/encounter', tags: ['Narrator'],
    summary: 'An encounter to preview (GM): monsters from your rulebooks (or yours) for the party at a difficulty, rated by the XP thresholds; accept the note with POST …/notes, send the initiative frames at the table',
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      body: jsonBody(z.object({
        difficulty: z.enum(DIFFICULTIES).default('medium'),
        partyLevels: z.array(z.number().int().min(1).max(20)).min(1).max(12).optional().describe('Defaults to the levels of the player characters'),
        creatureType: text(40).optional().describe('Only monsters whose type contains this, e.g. "undead"'),
        maxCr: cr.optional(),
        monsters: z.array(z.object({ name: text(80), cr })).min(1).max(50).optional().describe('Your own monsters instead of the rulebooks\''),
        idea,
      })),
    },
    responses: {
      200: jsonResponse(z.object({
        kind: z.literal('encounter'), title: z.string(), setup: z.string(), tactics: z.string(),
        difficulty: z.enum(DIFFICULTIES), rating: z.enum(['trivial', ...DIFFICULTIES]), partyLevels: z.array(z.number().int()),
        xp: z.object({ raw: z.number().int(), adjusted: z.number().int(), multiplier: z.number(), thresholds: Thresholds }),
        monsters: z.array(z.object({
          name: z.string(), cr: z.string(), xp: z.number().int(), count: z.number().int(), type: z.string().nullable(), armorClass: z.number().int().nullable(),
          hitPoints: z.number().int().nullable(), hitDice: z.string().nullable(), source: z.object({ rulebookId: z.string(), page: z.number().int(), url: z.string() }).nullable(),
          abilities: z.record(z.string(), z.number().int()).nullable(),
        })),
        label,
        note: z.object({ title: z.string(), body: z.string(), category: z.literal('combat'), visibility: z.literal('gm') }),
        initiative: z.array(z.record(z.string(), z.unknown())).describe('`initiative.add` frames for the table'),
        accept: Accept,
      }), 'The preview'),
      ...commonErrors,
    },
  }),
  async (c) => c.json(await generateEncounter(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')) as never, 200),
);
