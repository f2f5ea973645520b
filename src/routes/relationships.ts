/**
 * How each NPC feels about each character: a score from −100 to 100 with a
 * short summary, kept by the GM. Players see the relationships of NPCs that
 * are shared with the party.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { RelationshipScore } from '../game/lore';
import { bearerSecurity, CampaignItemParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';
import { deleteRelationship, listRelationships, setRelationship } from '../services/relationships';

const RelationshipSchema = z.object({
  id: z.string(),
  npcId: z.string(),
  characterId: z.string(),
  characterName: z.string(),
  score: z.number().int(),
  label: z.string().describe('hostile, unfriendly, neutral, friendly or devoted'),
  summary: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
}).openapi('Relationship');

const PairParams = z.object({ campaignId: IdParam, id: IdParam, characterId: IdParam });

export const relationshipRoutes = createRouter();

relationshipRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/npcs/{id}/relationships', tags: ['NPCs'], summary: "An NPC's relationships with the characters",
    security: bearerSecurity,
    request: { params: CampaignItemParams },
    responses: { 200: jsonResponse(z.object({ items: z.array(RelationshipSchema) }), 'Relationships'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    return c.json({ items: await listRelationships(c.var.scope, campaignId, id) }, 200);
  },
);

relationshipRoutes.openapi(
  createRoute({
    method: 'put', path: '/campaigns/{campaignId}/npcs/{id}/relationships/{characterId}', tags: ['NPCs'],
    summary: "Set how an NPC feels about a character (GM)",
    security: bearerSecurity,
    request: {
      params: PairParams,
      body: jsonBody(z.object({ score: RelationshipScore, summary: z.string().max(2000).default(''), version: z.number().int().min(1).optional() })),
    },
    responses: { 200: jsonResponse(RelationshipSchema, 'Updated'), 201: jsonResponse(RelationshipSchema, 'Created'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id, characterId } = c.req.valid('param');
    const { created, relationship } = await setRelationship(c.var.scope, campaignId, id, characterId, c.req.valid('json'));
    return created ? c.json(relationship, 201) : c.json(relationship, 200);
  },
);

relationshipRoutes.openapi(
  createRoute({
    method: 'delete', path: '/campaigns/{campaignId}/npcs/{id}/relationships/{characterId}', tags: ['NPCs'],
    summary: 'Forget a relationship (GM; kept in history)',
    security: bearerSecurity,
    request: { params: PairParams },
    responses: { 204: { description: 'Deleted' }, ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id, characterId } = c.req.valid('param');
    await deleteRelationship(c.var.scope, campaignId, id, characterId);
    return c.body(null, 204);
  },
);

