/**
 * Characters: every member reads them; players create and edit their own,
 * the GM edits all; spectators only read. Every change is a revision.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { CharacterSheetSchema } from '../game/character-sheet';
import { attachment } from '../http/attachment';
import { createCharacter, deleteCharacter, exportCharacter, getCharacter, importFoundryCharacter, listCharacters, updateCharacter } from '../services/characters';
import { bearerSecurity, CampaignItemParams, CampaignParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';

const CharacterSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  ownerUserId: z.string().nullable(),
  name: z.string(),
  sheet: CharacterSheetSchema,
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  canEdit: z.boolean(),
}).openapi('Character');

const Name = z.string().trim().min(1).max(120);

export const characterRoutes = createRouter();

characterRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/characters', tags: ['Characters'], summary: 'Characters of the campaign',
    security: bearerSecurity,
    request: { params: CampaignParams, query: z.object({ owner: z.union([z.literal('me'), IdParam]).optional() }) },
    responses: { 200: jsonResponse(z.object({ items: z.array(CharacterSchema) }), 'Characters'), ...commonErrors },
  }),
  async (c) => {
    return c.json({ items: await listCharacters(c.var.scope, c.req.valid('param').campaignId, c.req.valid('query')) }, 200);
  },
);

characterRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/characters', tags: ['Characters'],
    summary: 'Create a character (players own theirs; the GM may assign an owner)',
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      body: jsonBody(z.object({
        name: Name,
        sheet: CharacterSheetSchema.default(CharacterSheetSchema.parse({})),
        ownerUserId: IdParam.nullable().optional().describe('GM only: the player who owns it (null: a GM character)'),
      })),
    },
    responses: { 201: jsonResponse(CharacterSchema, 'Created'), ...commonErrors },
  }),
  async (c) => {
    return c.json(await createCharacter(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')), 201);
  },
);

characterRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/characters/{id}', tags: ['Characters'], summary: 'One character',
    security: bearerSecurity,
    request: { params: CampaignItemParams },
    responses: { 200: jsonResponse(CharacterSchema, 'The character'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    return c.json(await getCharacter(c.var.scope, campaignId, id), 200);
  },
);

characterRoutes.openapi(
  createRoute({
    method: 'patch', path: '/campaigns/{campaignId}/characters/{id}', tags: ['Characters'],
    summary: 'Edit a character: name, and the whole sheet or a part of it (top-level sheet sections are replaced)',
    security: bearerSecurity,
    request: {
      params: CampaignItemParams,
      body: jsonBody(z.object({
        name: Name.optional(),
        sheet: z.record(z.string(), z.unknown()).optional().describe('Sheet sections to replace; the result is validated as a whole sheet'),
        ownerUserId: IdParam.nullable().optional().describe('GM only: reassign the character'),
        version: z.number().int().min(1).optional().describe('The version you edited; a newer current version answers 409'),
      })),
    },
    responses: { 200: jsonResponse(CharacterSchema, 'Updated'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    return c.json(await updateCharacter(c.var.scope, campaignId, id, c.req.valid('json')), 200);
  },
);

characterRoutes.openapi(
  createRoute({
    method: 'delete', path: '/campaigns/{campaignId}/characters/{id}', tags: ['Characters'],
    summary: 'Delete a character (kept in history; restore it from its revisions)',
    security: bearerSecurity,
    request: { params: CampaignItemParams },
    responses: { 204: { description: 'Deleted' }, ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    await deleteCharacter(c.var.scope, campaignId, id);
    return c.body(null, 204);
  },
);

characterRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/characters/import/foundry', tags: ['Characters'],
    summary: "Import a character from Foundry VTT (a dnd5e actor's Export Data JSON), with a report of what could not be mapped",
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      body: jsonBody(z.object({
        actor: z.record(z.string(), z.unknown()).describe('The actor JSON as Foundry exports it'),
        ownerUserId: IdParam.nullable().optional().describe('GM only: the player who owns it'),
      })),
    },
    responses: { 201: jsonResponse(z.object({ character: CharacterSchema, unmapped: z.array(z.string()) }), 'Imported'), ...commonErrors },
  }),
  async (c) => {
    return c.json(await importFoundryCharacter(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')), 201);
  },
);

characterRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/characters/{id}/export', tags: ['Characters'], summary: 'A character as a file to keep or take elsewhere (name and sheet, versioned)',
    security: bearerSecurity,
    request: { params: CampaignItemParams },
    responses: {
      200: jsonResponse(z.object({ format: z.literal('lorekeeper.character'), version: z.number().int(), exportedAt: z.string(), name: z.string(), sheet: CharacterSheetSchema }), 'The character file'),
      ...commonErrors,
    },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    const file = await exportCharacter(c.var.scope, campaignId, id);
    c.header('content-disposition', attachment(file.name, 'character', '.json'));
    return c.json(file, 200);
  },
);
