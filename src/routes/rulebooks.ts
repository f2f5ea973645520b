/**
 * Rulebooks: upload a PDF (streamed to R2, hashed, deduplicated), watch its
 * ingestion, rename, re-index, delete, and open the PDF at a cited page.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { requireMember } from '../campaigns/access';
import { newId, nowIso } from '../db/client';
import { rulebookChunks, rulebooks } from '../db/schema';
import type { AppEnv } from '../http/app-env';
import { mediaType } from '../http/media-type';
import { conflict, notFound, ProblemError } from '../http/problem';
import { bearerSecurity, CampaignItemParams, CampaignParams, commonErrors, createRouter, jsonBody, jsonResponse } from '../http/router';
import { deleteChunkVectors, semanticBindings } from '../rules/embeddings';
import { signedFileUrl } from '../rules/file-links';
import type { IngestMessage } from '../rules/ingest';
import { safeFilename, storePdf, UploadError } from '../rules/upload';

type RulebookRow = typeof rulebooks.$inferSelect;

export const RulebookSchema = z.object({
  id: z.string(), campaignId: z.string(), title: z.string(), filename: z.string(), sourceType: z.enum(['rules', 'lore']), attribution: z.string(),
  sizeBytes: z.number().int(), sha256: z.string(),
  status: z.enum(['uploaded', 'processing', 'ready', 'failed']),
  progress: z.object({ stage: z.string(), pagesDone: z.number().int(), pagesTotal: z.number().int().nullable(), chunks: z.number().int() }),
  error: z.string().nullable().describe('Why ingestion failed, in words a GM understands'),
  fileUrl: z.string().describe('Signed link to the PDF, valid for an hour'),
  createdAt: z.string(), updatedAt: z.string(),
}).openapi('Rulebook');

/** The key that signs PDF links (the JWT secret); without it no link can be made, so say so instead of failing. */
export function linkSecret(c: Context<AppEnv>): string {
  const secret = c.get('config').jwtSecret;
  if (!secret) throw new ProblemError(503, 'PDF links are not configured: the JWT_SECRET secret is missing');
  return secret;
}

export async function presentRulebook(c: Context<AppEnv>, r: RulebookRow) {
  return {
    id: r.id, campaignId: r.campaignId, title: r.title, filename: r.filename, sourceType: r.sourceType, attribution: r.attribution, sizeBytes: r.sizeBytes, sha256: r.sha256,
    status: r.status, progress: { stage: r.stage, pagesDone: r.pagesDone, pagesTotal: r.pagesTotal, chunks: r.chunkCount },
    error: r.error, fileUrl: await signedFileUrl(linkSecret(c), r.id), createdAt: r.createdAt, updatedAt: r.updatedAt,
  };
}

async function loadRulebook(c: Context<AppEnv>, campaignId: string, id: string): Promise<RulebookRow> {
  const row = await c.get('db').select().from(rulebooks).where(and(eq(rulebooks.id, id), eq(rulebooks.campaignId, campaignId))).get();
  if (!row) throw notFound('Rulebook');
  return row;
}

/** Removes a book's chunks (FTS rows follow by trigger), vocabulary and vectors. */
async function dropIndex(c: Context<AppEnv>, book: RulebookRow) {
  const semantic = semanticBindings(c.env);
  if (semantic) {
    const ids = await c.get('db').select({ id: rulebookChunks.id }).from(rulebookChunks).where(eq(rulebookChunks.rulebookId, book.id));
    await deleteChunkVectors(semantic, book.id, ids.map((r) => r.id));
  }
  await c.env.DB.batch([
    c.env.DB.prepare('DELETE FROM rulebook_chunks WHERE rulebook_id = ?').bind(book.id),
    c.env.DB.prepare('DELETE FROM rulebook_terms WHERE rulebook_id = ?').bind(book.id),
  ]);
}

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
    const viewer = await requireMember(c, c.req.valid('param').campaignId, 'gm', true);
    const query = c.req.valid('query');
    if (mediaType(c.req.header('content-type')) !== 'application/pdf') throw new ProblemError(415, 'Send the PDF itself as the body, with Content-Type: application/pdf');
    const body = c.req.raw.body;
    if (!body) throw new ProblemError(400, 'Send the PDF as the request body');
    const id = newId();
    const key = `rulebooks/${viewer.campaign.id}/${id}.pdf`;
    const length = c.req.header('content-length');
    let stored;
    try {
      stored = await storePdf(c.env.FILES, key, body, length ? Number(length) : null, c.get('config').maxUploadBytes);
    } catch (err) {
      // A client that hung up mid-upload is logged as a 499 (client closed request), not as our failure.
      if (err instanceof UploadError) throw new ProblemError(err.status, err.message);
      throw err;
    }
    const db = c.get('db');
    const existing = await db.select().from(rulebooks).where(and(eq(rulebooks.campaignId, viewer.campaign.id), eq(rulebooks.sha256, stored.sha256))).get();
    if (existing) {
      await c.env.FILES.delete(key);
      return c.json({ ...(await presentRulebook(c, existing)), duplicate: true as const }, 200);
    }
    const filename = safeFilename(query.filename ?? c.req.header('x-filename'));
    const now = nowIso();
    const row: RulebookRow = {
      id, campaignId: viewer.campaign.id, title: query.title ?? filename.replace(/\.pdf$/i, ''), filename, sourceType: query.sourceType, attribution: query.attribution,
      r2Key: key, sha256: stored.sha256, sizeBytes: stored.size, status: 'uploaded', stage: 'queued', pagesTotal: null, pagesDone: 0, chunkCount: 0,
      error: null, generation: 1, ingestState: null, uploadedBy: viewer.userId, createdAt: now, updatedAt: now,
    };
    await db.insert(rulebooks).values(row);
    await c.env.INGEST_QUEUE.send({ rulebookId: id, generation: 1, fromPage: 1 } satisfies IngestMessage);
    return c.json(await presentRulebook(c, row), 202);
  },
);

rulebookRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/rulebooks', tags: ['Rulebooks'], summary: "The campaign's rulebooks with ingestion progress", security: bearerSecurity,
    request: { params: CampaignParams },
    responses: { 200: jsonResponse(z.object({ items: z.array(RulebookSchema) }), 'Rulebooks'), ...commonErrors },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId);
    const rows = await c.get('db').select().from(rulebooks).where(eq(rulebooks.campaignId, viewer.campaign.id)).orderBy(desc(rulebooks.createdAt));
    return c.json({ items: await Promise.all(rows.map((r) => presentRulebook(c, r))) }, 200);
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
    await requireMember(c, campaignId);
    return c.json(await presentRulebook(c, await loadRulebook(c, campaignId, id)), 200);
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
    await requireMember(c, campaignId, 'gm', true);
    const book = await loadRulebook(c, campaignId, id);
    const changes = { ...c.req.valid('json'), updatedAt: nowIso() };
    await c.get('db').update(rulebooks).set(changes).where(eq(rulebooks.id, book.id));
    return c.json(await presentRulebook(c, { ...book, ...changes }), 200);
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
    await requireMember(c, campaignId, 'gm', true);
    const book = await loadRulebook(c, campaignId, id);
    if (book.status === 'processing' || book.status === 'uploaded') throw conflict('This rulebook is being indexed right now');
    await dropIndex(c, book);
    const generation = book.generation + 1;
    const changes = { generation, status: 'processing' as const, stage: 'queued', pagesDone: 0, chunkCount: 0, error: null, ingestState: null, updatedAt: nowIso() };
    await c.get('db').update(rulebooks).set(changes).where(eq(rulebooks.id, book.id));
    await c.env.INGEST_QUEUE.send({ rulebookId: book.id, generation, fromPage: 1 } satisfies IngestMessage);
    return c.json(await presentRulebook(c, { ...book, ...changes }), 202);
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
    await requireMember(c, campaignId, 'gm', true);
    const book = await loadRulebook(c, campaignId, id);
    await dropIndex(c, book);
    await c.env.FILES.delete(book.r2Key);
    await c.get('db').delete(rulebooks).where(eq(rulebooks.id, book.id));
    return c.body(null, 204);
  },
);
