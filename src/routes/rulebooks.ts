/**
 * Rulebooks: upload a PDF (streamed to R2, hashed, deduplicated), watch its
 * ingestion, rename, re-index, delete, and open the PDF at a cited page.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { mediaType } from '../http/media-type';
import { ProblemError } from '../lib/problem';
import { bearerSecurity, CampaignItemParams, CampaignParams, commonErrors, createRouter, jsonBody, jsonResponse } from '../http/router';
import { deleteRulebook, getRulebook, listRulebooks, reindexRulebook, updateRulebook, uploadRulebook } from '../services/rulebooks';

export const RulebookSchema = z.object({
  id: z.string(), campaignId: z.string(), title: z.string(), filename: z.string(), sourceType: z.enum(['rules', 'lore']), attribution: z.string(),
  sizeBytes: z.number().int(), sha256: z.string(),
  status: z.enum(['uploaded', 'processing', 'ready', 'failed']),
  progress: z.object({ stage: z.string(), pagesDone: z.number().int(), pagesTotal: z.number().int().nullable(), chunks: z.number().int() }),
  error: z.string().nullable().describe('Why ingestion failed, in words a GM understands'),
  fileUrl: z.string().describe('Signed link to the PDF, valid for an hour'),
  createdAt: z.string(), updatedAt: z.string(),
}).openapi('Rulebook');

export const rulebookRoutes = createRouter();

rulebookRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/rulebooks', tags: ['Rulebooks'],
    summary: 'Upload a rulebook PDF (GM). The body is the PDF itself; ingestion runs in the background',
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      query: z.object({
        title: z.string().trim().min(1).max(200).optional().describe('Defaults to the file name'),
        filename: z.string().max(500).optional(),
        sourceType: z.enum(['rules', 'lore']).default('rules'),
        attribution: z.string().max(2000).default('').describe('Licence statement to show with the text'),
      }),
      body: { required: true, content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } },
    },
    responses: {
      202: jsonResponse(RulebookSchema, 'Stored; ingestion queued'),
      200: jsonResponse(RulebookSchema.extend({ duplicate: z.literal(true) }), 'This exact file is already in the campaign'),
      415: { description: 'Not a PDF', content: commonErrors[400].content },
      ...commonErrors,
    },
  }),
  async (c) => {
    if (mediaType(c.req.header('content-type')) !== 'application/pdf') throw new ProblemError(415, 'Send the PDF itself as the body, with Content-Type: application/pdf');
    const body = c.req.raw.body;
    if (!body) throw new ProblemError(400, 'Send the PDF as the request body');
    const query = c.req.valid('query');
    const length = c.req.header('content-length');
    const { duplicate, rulebook } = await uploadRulebook(c.var.scope, c.req.valid('param').campaignId, {
      ...query, body, length: length ? Number(length) : null, filename: query.filename ?? c.req.header('x-filename'),
    });
    return duplicate ? c.json({ ...rulebook, duplicate: true as const }, 200) : c.json(rulebook, 202);
  },
);

rulebookRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/rulebooks', tags: ['Rulebooks'], summary: "The campaign's rulebooks with ingestion progress", security: bearerSecurity,
    request: { params: CampaignParams },
    responses: { 200: jsonResponse(z.object({ items: z.array(RulebookSchema) }), 'Rulebooks'), ...commonErrors },
  }),
  async (c) => {
    return c.json({ items: await listRulebooks(c.var.scope, c.req.valid('param').campaignId) }, 200);
  },
);

rulebookRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/rulebooks/{id}', tags: ['Rulebooks'], summary: 'One rulebook and its progress', security: bearerSecurity,
    request: { params: CampaignItemParams },
    responses: { 200: jsonResponse(RulebookSchema, 'The rulebook'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    return c.json(await getRulebook(c.var.scope, campaignId, id), 200);
  },
);

rulebookRoutes.openapi(
  createRoute({
    method: 'patch', path: '/campaigns/{campaignId}/rulebooks/{id}', tags: ['Rulebooks'], summary: 'Rename, mark as rules or lore, or set the attribution (GM)', security: bearerSecurity,
    request: { params: CampaignItemParams, body: jsonBody(z.object({ title: z.string().trim().min(1).max(200).optional(), sourceType: z.enum(['rules', 'lore']).optional(), attribution: z.string().max(2000).optional() })) },
    responses: { 200: jsonResponse(RulebookSchema, 'Updated'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    return c.json(await updateRulebook(c.var.scope, campaignId, id, c.req.valid('json')), 200);
  },
);

rulebookRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/rulebooks/{id}/reindex', tags: ['Rulebooks'], summary: 'Rebuild the index from the stored PDF (GM)', security: bearerSecurity,
    request: { params: CampaignItemParams },
    responses: { 202: jsonResponse(RulebookSchema, 'Re-indexing queued'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    return c.json(await reindexRulebook(c.var.scope, campaignId, id), 202);
  },
);

rulebookRoutes.openapi(
  createRoute({
    method: 'delete', path: '/campaigns/{campaignId}/rulebooks/{id}', tags: ['Rulebooks'], summary: 'Delete a rulebook: its PDF, passages, index entries and vectors (GM)', security: bearerSecurity,
    request: { params: CampaignItemParams },
    responses: { 204: { description: 'Deleted' }, ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    await deleteRulebook(c.var.scope, campaignId, id);
    return c.body(null, 204);
  },
);
