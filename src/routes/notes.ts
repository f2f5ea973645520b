/**
 * Journal notes with visibility: `gm` (the GMs and the author), `party`
 * (every member) or `player` (one recipient, the author and the GMs).
 * Players and GMs write notes; authors and GMs edit them.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { NOTE_CATEGORIES } from '../game/lore';
import { createNote, deleteNote, getNote, listNotes, updateNote } from '../services/notes';
import { bearerSecurity, CampaignItemParams, CampaignParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse, PageQuery } from '../http/router';

const Visibility = z.enum(['gm', 'party', 'player']);
const NoteSchema = z.object({
  id: z.string(), campaignId: z.string(), authorId: z.string().nullable(), title: z.string(), body: z.string(),
  category: z.enum(NOTE_CATEGORIES), visibility: Visibility, recipientUserId: z.string().nullable(),
  version: z.number().int(), createdAt: z.string(), updatedAt: z.string(), canEdit: z.boolean(),
}).openapi('Note');

export const noteRoutes = createRouter();

noteRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/notes', tags: ['Notes'], summary: 'Notes you may read, newest first',
    security: bearerSecurity,
    request: { params: CampaignParams, query: PageQuery.extend({ category: z.enum(NOTE_CATEGORIES).optional() }) },
    responses: { 200: jsonResponse(z.object({ items: z.array(NoteSchema) }), 'Notes'), ...commonErrors },
  }),
  async (c) => {
    return c.json({ items: await listNotes(c.var.scope, c.req.valid('param').campaignId, c.req.valid('query')) }, 200);
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
    return c.json(await createNote(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')), 201);
  },
);

noteRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/notes/{id}', tags: ['Notes'], summary: 'One note',
    security: bearerSecurity,
    request: { params: CampaignItemParams },
    responses: { 200: jsonResponse(NoteSchema, 'The note'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    return c.json(await getNote(c.var.scope, campaignId, id), 200);
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
    return c.json(await updateNote(c.var.scope, campaignId, id, c.req.valid('json')), 200);
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
    await deleteNote(c.var.scope, campaignId, id);
    return c.body(null, 204);
  },
);
