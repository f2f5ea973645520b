/**
 * History of campaign data: list revisions, read one, diff two, restore one.
 * GMs see the whole campaign's history; players see and restore the history
 * of what they may edit (their characters and notes). A restore is itself a
 * new revision, so restoring can always be undone.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { principalOf } from '../auth/authenticate';
import { isGm, requireMember, type Viewer } from '../campaigns/access';
import { ENTITY_LABELS, ENTITY_TYPES, getEntity, updateEntity, type EntityRow, type EntityType } from '../campaigns/versioned-store';
import { canWriteEntity, restorableFields } from '../campaigns/write-policy';
import { revisions } from '../db/schema';
import type { AppEnv } from '../http/app-env';
import { forbidden, notFound, ProblemError } from '../http/problem';
import { bearerSecurity, commonErrors, createRouter, IdParam, jsonResponse, PageQuery } from '../http/router';
import { jsonDiff } from '../lib/json-diff';
import { audit } from '../ops/audit';

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

type RevisionRow = typeof revisions.$inferSelect;
const summary = ({ snapshot: _s, campaignId: _c, ...r }: RevisionRow) => ({ ...r, entityType: r.entityType as EntityType });
const RevisionParams = z.object({ campaignId: IdParam, revisionId: IdParam });

/** The current record of a revision's entity, checked against the caller's write rights. */
async function authorisedEntity(c: Context<AppEnv>, viewer: Viewer, type: EntityType, entityId: string): Promise<EntityRow<EntityType>> {
  const row = await getEntity(c, type, viewer.campaign.id, entityId, true);
  if (!canWriteEntity(viewer, type, row)) {
    // Players learn nothing about records they cannot edit.
    throw notFound(ENTITY_LABELS[type]);
  }
  return row;
}

async function loadRevision(c: Context<AppEnv>, viewer: Viewer, revisionId: string) {
  const revision = await c.get('db').select().from(revisions)
    .where(and(eq(revisions.id, revisionId), eq(revisions.campaignId, viewer.campaign.id))).get();
  if (!revision) throw notFound('Revision');
  const type = revision.entityType as EntityType;
  const current = await authorisedEntity(c, viewer, type, revision.entityId).catch((err) => {
    if (err instanceof ProblemError && err.status === 404) throw notFound('Revision');
    throw err;
  });
  return { revision, type, current };
}

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
    const viewer = await requireMember(c, c.req.valid('param').campaignId);
    const { entityType, entityId, limit, offset } = c.req.valid('query');
    if (!isGm(viewer)) {
      if (!entityType || !entityId) throw forbidden('Only the GM can browse the whole history; ask for one record with entityType and entityId');
      await authorisedEntity(c, viewer, entityType, entityId);
    }
    const rows = await c.get('db').select().from(revisions)
      .where(and(
        eq(revisions.campaignId, viewer.campaign.id),
        entityType ? eq(revisions.entityType, entityType) : undefined,
        entityId ? eq(revisions.entityId, entityId) : undefined,
      ))
      .orderBy(desc(revisions.createdAt), desc(revisions.version)).limit(limit).offset(offset);
    return c.json({ items: rows.map(summary) }, 200);
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
    const viewer = await requireMember(c, campaignId);
    const { revision } = await loadRevision(c, viewer, revisionId);
    return c.json({ ...summary(revision), snapshot: revision.snapshot as Record<string, unknown> }, 200);
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
    const { against } = c.req.valid('query');
    const viewer = await requireMember(c, campaignId);
    const { revision } = await loadRevision(c, viewer, revisionId);
    const db = c.get('db');
    const base = against
      ? await db.select().from(revisions).where(and(eq(revisions.id, against), eq(revisions.campaignId, campaignId))).get()
      : await db.select().from(revisions).where(and(
        eq(revisions.entityType, revision.entityType), eq(revisions.entityId, revision.entityId), eq(revisions.version, revision.version - 1),
      )).get();
    if (against && (!base || base.entityId !== revision.entityId || base.entityType !== revision.entityType)) {
      throw new ProblemError(400, '"against" must be a revision of the same record', { errors: [{ path: 'query.against', message: 'Not a revision of this record' }] });
    }
    return c.json({
      from: base ? summary(base) : null,
      to: summary(revision),
      changes: jsonDiff(base?.snapshot ?? {}, revision.snapshot),
    }, 200);
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
    const viewer = await requireMember(c, campaignId, 'player', true);
    const { revision, type, current } = await loadRevision(c, viewer, revisionId);
    const fields = restorableFields(viewer, type, revision.snapshot as Record<string, unknown>);
    const restored = await updateEntity(c, type, campaignId, current, fields as Partial<EntityRow<EntityType>>, { action: 'restore', restoredFrom: revision.id });
    const created = await c.get('db').select().from(revisions)
      .where(and(eq(revisions.entityType, type), eq(revisions.entityId, revision.entityId), eq(revisions.version, restored.version))).get();
    await audit(c, 'revision.restore', { campaignId, revisionId, entityType: type, entityId: revision.entityId, by: principalOf(c).userId });
    return c.json(summary(created!), 200);
  },
);
