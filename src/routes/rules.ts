/**
 * Rules search with page citations, search analytics for the GM, and the
 * signed PDF links that open a cited page.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import { principalOf } from '../auth/authenticate';
import { requireMember } from '../campaigns/access';
import { newId } from '../db/client';
import { rulebooks, searchQueries } from '../db/schema';
import { notFound, problem, problemResponse } from '../http/problem';
import { rateLimit } from '../http/middleware/rate-limit';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, IdParam, jsonResponse } from '../http/router';
import { CONTENT_TYPES } from '../rules/classify';
import { semanticBindings } from '../rules/embeddings';
import { fileLinks, verifyFileSignature } from '../rules/file-links';
import { allQueryWords, MAX_QUERY_LENGTH, MAX_QUERY_WORDS } from '../rules/query';
import { searchRules } from '../rules/search';
import { linkSecret } from './rulebooks';

const HitSchema = z.object({
  rulebookId: z.string(), rulebookTitle: z.string(), sourceType: z.string(), attribution: z.string(), page: z.number().int(),
  headingPath: z.array(z.string()), contentType: z.string(), snippet: z.string().describe('Matched words wrapped in <mark>'),
  score: z.number(), url: z.string().describe('Opens the PDF at the page (signed, valid an hour)'),
  explain: z.object({
    headingScore: z.number(), textScore: z.number(), intentBoost: z.number(), matchedTerms: z.array(z.string()),
    lexicalRank: z.number().int().nullable(), semanticRank: z.number().int().nullable(), semanticScore: z.number().nullable(),
  }).optional(),
}).openapi('RulesHit');

export const rulesRoutes = createRouter();

rulesRoutes.use('/campaigns/:campaignId/rules/search', rateLimit('rules-search', (c) => c.get('principal')?.userId ?? null, (cfg) => cfg.rateLimit.rulesSearchPerMinute));

rulesRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/rules/search', tags: ['Rulebooks'],
    summary: "Search the campaign's rulebooks; every hit cites its book and page", security: bearerSecurity,
    request: {
      params: CampaignParams,
      query: z.object({
        q: z.string().trim().min(1).max(MAX_QUERY_LENGTH)
          .refine((q) => allQueryWords(q).length <= MAX_QUERY_WORDS, { message: `Ask with at most ${MAX_QUERY_WORDS} search words (common words such as "the" or "how" do not count)` }),
        limit: z.coerce.number().int().min(1).max(100).default(10),
        rulebookId: IdParam.optional(),
        sourceType: z.enum(['rules', 'lore']).optional(),
        contentType: z.enum(CONTENT_TYPES).optional(),
        explain: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
        understanding: z.enum(['true', 'false']).default('true').transform((v) => v === 'true').describe('false: plain keyword search (no abbreviations, synonyms, corrections or intent)'),
      }),
    },
    responses: {
      200: jsonResponse(z.object({
        query: z.string(), hits: z.array(HitSchema), didYouMean: z.string().nullable(), narrowedTo: z.string().nullable(),
        interpretation: z.object({ terms: z.array(z.string()), expansions: z.array(z.object({ term: z.string(), via: z.string() })), corrections: z.array(z.object({ from: z.string(), to: z.string() })), intent: z.string().nullable() }),
        semantic: z.boolean().describe('Whether semantic retrieval (Vectorize) took part'),
      }), 'Hits, best first'),
      ...commonErrors,
    },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId);
    const { q, limit, rulebookId, sourceType, contentType, explain, understanding } = c.req.valid('query');
    const result = await searchRules(c.env.DB, viewer.campaign.id, q, { limit, rulebookId, sourceType, contentType, explain, understanding }, semanticBindings(c.env));
    const secret = linkSecret(c);
    const link = await fileLinks(secret, result.hits.map((h) => h.rulebookId));
    const hits = result.hits.map(({ chunkId: _chunk, ...h }) => ({ ...h, url: link(h.rulebookId, h.page) }));
    // Recorded before answering, so the GM's analytics include every search.
    await c.get('db').insert(searchQueries).values({
      id: newId(), campaignId: viewer.campaign.id, userId: principalOf(c).userId, query: q.slice(0, 300), normalized: result.plan.terms.join(' ').slice(0, 300), resultCount: hits.length,
    });
    return c.json({
      query: q, hits, didYouMean: result.didYouMean, narrowedTo: result.narrowedTo,
      interpretation: { terms: result.plan.terms, expansions: result.plan.expansions, corrections: result.plan.corrections, intent: result.plan.intent },
      semantic: result.semantic,
    }, 200);
  },
);

rulesRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/rules/analytics', tags: ['Rulebooks'], summary: 'Popular and zero-result searches of the last 30 days (GM)', security: bearerSecurity,
    request: { params: CampaignParams },
    responses: {
      200: jsonResponse(z.object({
        popular: z.array(z.object({ query: z.string(), count: z.number().int() })),
        zeroResults: z.array(z.object({ query: z.string(), count: z.number().int(), lastAt: z.string() })),
      }), 'Search analytics'),
      ...commonErrors,
    },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId, 'gm');
    const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const db = c.get('db');
    const recent = and(eq(searchQueries.campaignId, viewer.campaign.id), gt(searchQueries.at, since));
    const popular = await db.select({ query: searchQueries.normalized, count: sql<number>`count(*)` }).from(searchQueries)
      .where(recent).groupBy(searchQueries.normalized).orderBy(desc(sql`count(*)`)).limit(20);
    const zero = await db.select({ query: searchQueries.query, count: sql<number>`count(*)`, lastAt: sql<string>`max(${searchQueries.at})` }).from(searchQueries)
      .where(and(recent, eq(searchQueries.resultCount, 0))).groupBy(searchQueries.query).orderBy(desc(sql`count(*)`)).limit(20);
    return c.json({ popular, zeroResults: zero }, 200);
  },
);

/** GET /api/files/rulebooks/{id}?exp=&sig= — the PDF, with HTTP range support (pdf.js viewers fetch ranges). */
rulesRoutes.openapi(
  createRoute({
    method: 'get', path: '/files/rulebooks/{id}', tags: ['Rulebooks'], summary: 'The PDF of a rulebook, through a signed link from a search hit or the rulebook',
    request: { params: z.object({ id: IdParam }), query: z.object({ exp: z.coerce.number().int(), sig: z.string().min(10).max(100) }) },
    responses: { 200: { description: 'The PDF' }, 206: { description: 'A byte range of the PDF' }, 403: commonErrors[403], 404: commonErrors[404] },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { exp, sig } = c.req.valid('query');
    if (!(await verifyFileSignature(linkSecret(c), id, exp, sig))) return problemResponse(problem(403, 'The link is invalid or has expired; search again for a fresh one'));
    const book = await c.get('db').select().from(rulebooks).where(eq(rulebooks.id, id)).get();
    if (!book) throw notFound('Rulebook');
    const object = await c.env.FILES.get(book.r2Key, { range: c.req.raw.headers });
    if (!object) throw notFound('Rulebook file');
    const headers = new Headers({
      'content-type': 'application/pdf',
      'accept-ranges': 'bytes',
      'content-disposition': `inline; filename="${book.filename.replace(/"/g, '')}"`,
      etag: object.httpEtag,
      'cache-control': 'private, max-age=3600',
    });
    const range = object.range as { offset?: number; length?: number; suffix?: number } | undefined;
    if (c.req.header('range') && range) {
      const offset = range.suffix !== undefined ? object.size - range.suffix : range.offset ?? 0;
      const length = range.length ?? object.size - offset;
      headers.set('content-range', `bytes ${offset}-${offset + length - 1}/${object.size}`);
      headers.set('content-length', String(length));
      return new Response(object.body, { status: 206, headers }) as never;
    }
    headers.set('content-length', String(object.size));
    return new Response(object.body, { status: 200, headers }) as never;
  },
);
