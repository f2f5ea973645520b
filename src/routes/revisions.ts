/**
 * History of campaign data: list revisions, read one, diff two, restore one.
 * GMs see the whole campaign's history; players see and restore the history
 * of what they may edit (their characters and notes). A restore is itself a
 * new revision, so restoring can always be undone.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ENTITY_TYPES, type EntityType } from '../services/versioned-store';
import { bearerSecurity, commonErrors, createRouter, IdParam, jsonResponse, PageQuery } from '../http/router';
import { diffRevision, getRevision, listRevisions, restoreRevision } from '../services/history';

const EntityTypeSchema = z.enum(ENTITY_TYPES as [EntityType, ...EntityType[]]);

const RevisionSummary = z.object({
  id: z.string(), entityType: EntityTypeSchema, entityId: z.string(), version: z.number().int(),
  action: z.enum(['create', 'update', 'delete', 'restore']), authorId: z.string().nullable(), createdAt: z.string(), restoredFrom: z.string().nullable(),
}).openapi('RevisionSummary');
const Revision = RevisionSummary.extend({ snapshot: z.record(z.string(), z.unknown()) }).openapi('Revision');
const DiffSchema = z.object({
  from: RevisionSummary.nullable(), to: RevisionSummary,
  changes: z.array(z.object({ path: z.string(), op: z.enum(['add', 'remove', 'change']), before: z.unknown().optional(), after: z.unknown().optional() })),
}).openapi('RevisionDiff');

const RevisionParams = z.object({ campaignId: IdParam, revisionId: IdParam });

export const revisionRoutes = createRouter();

revisionRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/revisions', tags: ['History'],
    summary: 'Revisions, newest first (GM: whole campaign; players: one record they can edit)',
    security: bearerSecurity,
    request: {
      params: z.object({ campaignId: IdParam }),
      query: PageQuery.extend({ entityType: EntityTypeSchema.optional(), entityId: IdParam.optional() }),
    },
    responses: { 200: jsonResponse(z.object({ items: z.array(RevisionSummary) }), 'Revisions'), ...commonErrors },
  }),
  async (c) => {
    return c.json({ items: await listRevisions(c.var.scope, c.req.valid('param').campaignId, c.req.valid('query')) }, 200);
  },
);

revisionRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/revisions/{revisionId}', tags: ['History'], summary: 'One revision with its snapshot',
    security: bearerSecurity,
    request: { params: RevisionParams },
    responses: { 200: jsonResponse(Revision, 'The revision'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, revisionId } = c.req.valid('param');
    return c.json(await getRevision(c.var.scope, campaignId, revisionId), 200);
  },
);

revisionRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/revisions/{revisionId}/diff', tags: ['History'],
    summary: 'What a revision changed (against the previous version, or another revision of the same record)',
    security: bearerSecurity,
    request: { params: RevisionParams, query: z.object({ against: IdParam.optional().describe('Another revision of the same record; default: the previous version') }) },
    responses: { 200: jsonResponse(DiffSchema, 'The changes'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, revisionId } = c.req.valid('param');
    return c.json(await diffRevision(c.var.scope, campaignId, revisionId, c.req.valid('query').against), 200);
  },
);

revisionRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/revisions/{revisionId}/restore', tags: ['History'],
    summary: 'Bring a record back to this revision (recorded as a new revision)',
    security: bearerSecurity,
    request: { params: RevisionParams },
    responses: { 200: jsonResponse(RevisionSummary, 'The new revision made by the restore'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, revisionId } = c.req.valid('param');
    return c.json(await restoreRevision(c.var.scope, campaignId, revisionId), 200);
  },
);
