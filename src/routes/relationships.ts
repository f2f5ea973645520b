/**
 * How each NPC feels about each character: a score from −100 to 100 with a
 * short summary, kept by the GM. Players see the relationships of NPCs that
 * are shared with the party.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { requireMember } from '../campaigns/access';
import { createEntity, deleteEntity, getEntity, updateEntity } from '../campaigns/versioned-store';
import { newId } from '../db/client';
import { characters, npcRelationships } from '../db/schema';
import { RelationshipScore, relationshipLabel } from '../game/lore';
import { notFound } from '../http/problem';
import { bearerSecurity, CampaignItemParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';
import { canReadLore } from './lore';

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

type RelationshipRow = typeof npcRelationships.$inferSelect;
const present = (r: RelationshipRow, characterName: string) => ({
  id: r.id, npcId: r.npcId, characterId: r.characterId, characterName, score: r.score, label: relationshipLabel(r.score),
  summary: r.summary, version: r.version, updatedAt: r.updatedAt,
});

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
    const viewer = await requireMember(c, campaignId);
    const npc = await getEntity(c, 'npc', campaignId, id);
    if (!canReadLore(viewer, npc)) throw notFound('NPC');
    const rows = await c.get('db')
      .select({ rel: npcRelationships, characterName: characters.name })
      .from(npcRelationships)
      .innerJoin(characters, eq(characters.id, npcRelationships.characterId))
      .where(and(eq(npcRelationships.npcId, npc.id), isNull(npcRelationships.deletedAt), isNull(characters.deletedAt)))
      .orderBy(asc(characters.name));
    return c.json({ items: rows.map((r) => present(r.rel, r.characterName)) }, 200);
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
    const { score, summary, version } = c.req.valid('json');
    await requireMember(c, campaignId, 'gm', true);
    const npc = await getEntity(c, 'npc', campaignId, id);
    const character = await getEntity(c, 'character', campaignId, characterId);
    const existing = await c.get('db').select().from(npcRelationships)
      .where(and(eq(npcRelationships.npcId, npc.id), eq(npcRelationships.characterId, character.id))).get();
    if (existing) {
      const row = await updateEntity(c, 'relationship', campaignId, existing, { score, summary, deletedAt: null }, { expectedVersion: version });
      return c.json(present(row, character.name), 200);
    }
    const row = await createEntity(c, 'relationship', campaignId, {
      id: newId(), campaignId, npcId: npc.id, characterId: character.id, score, summary, deletedAt: null,
    });
    return c.json(present(row, character.name), 201);
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
    await requireMember(c, campaignId, 'gm', true);
    const row = await c.get('db').select().from(npcRelationships)
      .where(and(eq(npcRelationships.campaignId, campaignId), eq(npcRelationships.npcId, id), eq(npcRelationships.characterId, characterId), isNull(npcRelationships.deletedAt)))
      .get();
    if (!row) throw notFound('Relationship');
    await deleteEntity(c, 'relationship', campaignId, row);
    return c.body(null, 204);
  },
);

