/**
 * Journal notes with visibility: `gm` (the GMs and the author), `party`
 * (every member) or `player` (one recipient, the author and the GMs).
 * Players and GMs write notes; authors and GMs edit them.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, isNull, or } from 'drizzle-orm';
import type { Context } from 'hono';
import { findMembership, isGm, requireMember, type Viewer } from '../campaigns/access';
import { createEntity, deleteEntity, getEntity, updateEntity } from '../campaigns/versioned-store';
import { newId } from '../db/client';
import { notes } from '../db/schema';
import { NOTE_CATEGORIES } from '../game/lore';
import type { AppEnv } from '../http/app-env';
import { forbidden, notFound, ProblemError } from '../http/problem';
import { bearerSecurity, CampaignItemParams, CampaignParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse, PageQuery } from '../http/router';

type NoteRow = typeof notes.$inferSelect;

const Visibility = z.enum(['gm', 'party', 'player']);
const NoteSchema = z.object({
  id: z.string(), campaignId: z.string(), authorId: z.string().nullable(), title: z.string(), body: z.string(),
  category: z.enum(NOTE_CATEGORIES), visibility: Visibility, recipientUserId: z.string().nullable(),
  version: z.number().int(), createdAt: z.string(), updatedAt: z.string(), canEdit: z.boolean(),
}).openapi('Note');

export const canReadNote = (v: Viewer, n: Pick<NoteRow, 'visibility' | 'authorId' | 'recipientUserId'>) =>
  isGm(v) || n.authorId === v.userId || n.visibility === 'party' || (n.visibility === 'player' && n.recipientUserId === v.userId);
export const canEditNote = (v: Viewer, n: Pick<NoteRow, 'authorId'>) => isGm(v) || (v.role === 'player' && n.authorId === v.userId);

const present = (n: NoteRow, v: Viewer) => ({
  id: n.id, campaignId: n.campaignId, authorId: n.authorId, title: n.title, body: n.body, category: n.category as (typeof NOTE_CATEGORIES)[number],
  visibility: n.visibility, recipientUserId: n.recipientUserId, version: n.version, createdAt: n.createdAt, updatedAt: n.updatedAt, canEdit: canEditNote(v, n),
});

/** A `player` note needs a recipient who is a member; other visibilities have none. */
async function checkRecipient(c: Context<AppEnv>, campaignId: string, visibility: NoteRow['visibility'], recipientUserId: string | null | undefined): Promise<string | null> {
  if (visibility !== 'player') return null;
  if (!recipientUserId) {
    throw new ProblemError(400, 'A note for one player needs recipientUserId', { errors: [{ path: 'body.recipientUserId', message: 'Required when visibility is "player"' }] });
  }
  if (!(await findMembership(c, campaignId, recipientUserId))) throw new ProblemError(400, 'The recipient is not a member of this campaign', { errors: [{ path: 'body.recipientUserId', message: 'Not a member' }] });
  return recipientUserId;
}

export const noteRoutes = createRouter();

noteRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/notes', tags: ['Notes'], summary: 'Notes you may read, newest first',
    security: bearerSecurity,
    request: { params: CampaignParams, query: PageQuery.extend({ category: z.enum(NOTE_CATEGORIES).optional() }) },
    responses: { 200: jsonResponse(z.object({ items: z.array(NoteSchema) }), 'Notes'), ...commonErrors },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId);
    const { category, limit, offset } = c.req.valid('query');
    const readable = isGm(viewer) ? undefined : or(
      eq(notes.visibility, 'party'),
      eq(notes.authorId, viewer.userId),
      and(eq(notes.visibility, 'player'), eq(notes.recipientUserId, viewer.userId)),
    );
    const rows = await c.get('db').select().from(notes)
      .where(and(eq(notes.campaignId, viewer.campaign.id), isNull(notes.deletedAt), category ? eq(notes.category, category) : undefined, readable))
      .orderBy(desc(notes.updatedAt)).limit(limit).offset(offset);
    return c.json({ items: rows.map((n) => present(n, viewer)) }, 200);
  },
);

noteRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/notes', tags: ['Notes'], summary: 'Write a note (players and GMs)',
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      body: jsonBody(z.object({
        title: z.string().trim().min(1).max(200),
        body: z.string().max(50_000).default(''),
        category: z.enum(NOTE_CATEGORIES).default('general'),
        visibility: Visibility.default('party'),
        recipientUserId: IdParam.nullable().optional(),
      })),
    },
    responses: { 201: jsonResponse(NoteSchema, 'Created'), ...commonErrors },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId, 'player', true);
    const body = c.req.valid('json');
    const recipientUserId = await checkRecipient(c, viewer.campaign.id, body.visibility, body.recipientUserId);
    const row = await createEntity(c, 'note', viewer.campaign.id, {
      id: newId(), campaignId: viewer.campaign.id, authorId: viewer.userId, title: body.title, body: body.body,
      category: body.category, visibility: body.visibility, recipientUserId, deletedAt: null,
    });
    return c.json(present(row, viewer), 201);
  },
);

async function readableNote(c: Context<AppEnv>, viewer: Viewer, id: string) {
  const note = await getEntity(c, 'note', viewer.campaign.id, id);
  if (!canReadNote(viewer, note)) throw notFound('Note');
  return note;
}

noteRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/notes/{id}', tags: ['Notes'], summary: 'One note',
    security: bearerSecurity,
    request: { params: CampaignItemParams },
    responses: { 200: jsonResponse(NoteSchema, 'The note'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    const viewer = await requireMember(c, campaignId);
    return c.json(present(await readableNote(c, viewer, id), viewer), 200);
  },
);

noteRoutes.openapi(
  createRoute({
    method: 'patch', path: '/campaigns/{campaignId}/notes/{id}', tags: ['Notes'], summary: 'Edit a note (its author or a GM)',
    security: bearerSecurity,
    request: {
      params: CampaignItemParams,
      body: jsonBody(z.object({
        title: z.string().trim().min(1).max(200).optional(),
        body: z.string().max(50_000).optional(),
        category: z.enum(NOTE_CATEGORIES).optional(),
        visibility: Visibility.optional(),
        recipientUserId: IdParam.nullable().optional(),
        version: z.number().int().min(1).optional(),
      })),
    },
    responses: { 200: jsonResponse(NoteSchema, 'Updated'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    const viewer = await requireMember(c, campaignId, 'player', true);
    const current = await readableNote(c, viewer, id);
    if (!canEditNote(viewer, current)) throw forbidden('Only the author or a GM can edit this note');
    const { version, recipientUserId, ...fields } = c.req.valid('json');
    const visibility = fields.visibility ?? current.visibility;
    const recipient = await checkRecipient(c, campaignId, visibility, recipientUserId === undefined ? current.recipientUserId : recipientUserId);
    const row = await updateEntity(c, 'note', campaignId, current, { ...fields, recipientUserId: recipient }, { expectedVersion: version });
    return c.json(present(row, viewer), 200);
  },
);

noteRoutes.openapi(
  createRoute({
    method: 'delete', path: '/campaigns/{campaignId}/notes/{id}', tags: ['Notes'], summary: 'Delete a note (author or GM; kept in history)',
    security: bearerSecurity,
    request: { params: CampaignItemParams },
    responses: { 204: { description: 'Deleted' }, ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    const viewer = await requireMember(c, campaignId, 'player', true);
    const current = await readableNote(c, viewer, id);
    if (!canEditNote(viewer, current)) throw forbidden('Only the author or a GM can delete this note');
    await deleteEntity(c, 'note', campaignId, current);
    return c.body(null, 204);
  },
);
