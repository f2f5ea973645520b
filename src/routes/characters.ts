/**
 * Characters: every member reads them; players create and edit their own,
 * the GM edits all; spectators only read. Every change is a revision.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { CharacterSheetSchema } from '../game/character-sheet';
import { findMembership, isGm, requireMember, type Viewer } from '../campaigns/access';
import { createEntity, deleteEntity, getEntity, updateEntity } from '../campaigns/versioned-store';
import { newId } from '../db/client';
import { characters } from '../db/schema';
import type { AppEnv } from '../http/app-env';
import type { Context } from 'hono';
import { forbidden, parseOrThrow, ProblemError } from '../http/problem';
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

type CharacterRow = typeof characters.$inferSelect;

export const canEditCharacter = (viewer: Viewer, row: Pick<CharacterRow, 'ownerUserId'>) =>
  isGm(viewer) || (viewer.role === 'player' && row.ownerUserId === viewer.userId);

function present(row: CharacterRow, viewer: Viewer) {
  return {
    id: row.id, campaignId: row.campaignId, ownerUserId: row.ownerUserId, name: row.name,
    sheet: CharacterSheetSchema.parse(row.sheet), version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt,
    canEdit: canEditCharacter(viewer, row),
  };
}

async function assertMemberOf(c: Context<AppEnv>, campaignId: string, userId: string) {
  if (!(await findMembership(c, campaignId, userId))) throw new ProblemError(400, 'The owner must be a member of the campaign', { errors: [{ path: 'body.ownerUserId', message: 'Not a member of this campaign' }] });
}

export const characterRoutes = createRouter();

characterRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/characters', tags: ['Characters'], summary: 'Characters of the campaign',
    security: bearerSecurity,
    request: { params: CampaignParams, query: z.object({ owner: z.union([z.literal('me'), IdParam]).optional() }) },
    responses: { 200: jsonResponse(z.object({ items: z.array(CharacterSchema) }), 'Characters'), ...commonErrors },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId);
    const { owner } = c.req.valid('query');
    const ownerId = owner === 'me' ? viewer.userId : owner;
    const rows = await c.get('db').select().from(characters)
      .where(and(eq(characters.campaignId, viewer.campaign.id), isNull(characters.deletedAt), ownerId ? eq(characters.ownerUserId, ownerId) : undefined))
      .orderBy(asc(characters.name));
    return c.json({ items: rows.map((r) => present(r, viewer)) }, 200);
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
    const viewer = await requireMember(c, c.req.valid('param').campaignId, 'player', true);
    const body = c.req.valid('json');
    let ownerUserId: string | null = viewer.userId;
    if (body.ownerUserId !== undefined) {
      if (!isGm(viewer) && body.ownerUserId !== viewer.userId) throw forbidden('Only the GM can create characters for other members');
      ownerUserId = body.ownerUserId;
      if (ownerUserId) await assertMemberOf(c, viewer.campaign.id, ownerUserId);
    }
    const row = await createEntity(c, 'character', viewer.campaign.id, {
      id: newId(), campaignId: viewer.campaign.id, ownerUserId, name: body.name, sheet: body.sheet, deletedAt: null,
    });
    return c.json(present(row, viewer), 201);
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
    const viewer = await requireMember(c, campaignId);
    return c.json(present(await getEntity(c, 'character', campaignId, id), viewer), 200);
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
    const viewer = await requireMember(c, campaignId, 'player', true);
    const current = await getEntity(c, 'character', campaignId, id);
    if (!canEditCharacter(viewer, current)) throw forbidden('Players can edit only their own characters');
    const { name, sheet, ownerUserId, version } = c.req.valid('json');
    const changes: Partial<CharacterRow> = {};
    if (name !== undefined) changes.name = name;
    if (sheet !== undefined) {
      changes.sheet = parseOrThrow(CharacterSheetSchema, { ...(current.sheet as object), ...sheet }, 'body.sheet');
    }
    if (ownerUserId !== undefined) {
      if (!isGm(viewer)) throw forbidden('Only the GM can reassign characters');
      if (ownerUserId) await assertMemberOf(c, campaignId, ownerUserId);
      changes.ownerUserId = ownerUserId;
    }
    const row = await updateEntity(c, 'character', campaignId, current, changes, { expectedVersion: version });
    return c.json(present(row, viewer), 200);
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
    const viewer = await requireMember(c, campaignId, 'player', true);
    const current = await getEntity(c, 'character', campaignId, id);
    if (!canEditCharacter(viewer, current)) throw forbidden('Players can delete only their own characters');
    await deleteEntity(c, 'character', campaignId, current);
    return c.body(null, 204);
  },
);
