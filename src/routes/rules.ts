/**
 * Rules search with page citations, search analytics for the GM, and the
 * signed PDF links that open a cited page.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { rateLimit } from '../http/middleware/rate-limit';
import { rangedResponse } from '../http/ranged';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';
import { CONTENT_TYPES } from '../rules/classify';
import { allQueryWords, MAX_QUERY_LENGTH, MAX_QUERY_WORDS, QUERY_FEATURES } from '../rules/query';
import { answerRulesQuestion, searchAnalytics, searchCampaignRules, signedRulebookFile } from '../services/rules';

/** A comma-separated list of query-understanding features (for comparison and debugging). */
const Features = z.string().max(200).transform((v, ctx) => {
  const list = [...new Set(v.split(',').map((f) => f.trim()).filter(Boolean))];
  const unknown = list.filter((f) => !(QUERY_FEATURES as readonly string[]).includes(f));
  if (unknown.length) ctx.addIssue({ code: 'custom', message: `Unknown feature ${unknown.join(', ')}; known: ${QUERY_FEATURES.join(', ')}` });
  return list as (typeof QUERY_FEATURES)[number][];
}).openapi({ type: 'string', example: 'synonyms,idioms' });

/** A rules question, bounded like every search: MAX_QUERY_LENGTH characters, MAX_QUERY_WORDS distinct search words. */
const Question = z.string().trim().min(1).max(MAX_QUERY_LENGTH)
  .refine((q) => allQueryWords(q).length <= MAX_QUERY_WORDS, { message: `Ask with at most ${MAX_QUERY_WORDS} search words (common words such as "the" or "how" do not count)` });

const HitSchema = z.object({
  passageId: z.number().int().describe('The passage (its MCP resource is lorekeeper://campaigns/{campaignId}/passages/{passageId})'),
  rulebookId: z.string(), rulebookTitle: z.string(), sourceType: z.string(), attribution: z.string(), page: z.number().int(),
  headingPath: z.array(z.string()), contentType: z.string(),
  snippet: z.string().describe('The sentences of the passage that best answer the query, HTML-escaped, query words wrapped in <mark>; a table shows its header row first'),
  score: z.number(), url: z.string().describe('Opens the PDF at the page (signed, valid an hour)'),
  explain: z.object({
    headingScore: z.number(), textScore: z.number(), intentBoost: z.number(), matchedTerms: z.array(z.string()),
    lexicalRank: z.number().int().nullable(), semanticRank: z.number().int().nullable(), semanticScore: z.number().nullable(),
  }).optional(),
}).openapi('RulesHit');

export const rulesRoutes = createRouter();

rulesRoutes.use('/campaigns/:campaignId/rules/answer', rateLimit('rules-search', (c) => c.get('principal')?.userId ?? null, (cfg) => cfg.rateLimit.rulesSearchPerMinute));
rulesRoutes.use('/campaigns/:campaignId/rules/search', rateLimit('rules-search', (c) => c.get('principal')?.userId ?? null, (cfg) => cfg.rateLimit.rulesSearchPerMinute));

rulesRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/rules/search', tags: ['Rulebooks'],
    summary: "Search the campaign's rulebooks; every hit cites its book and page", security: bearerSecurity,
    request: {
      params: CampaignParams,
      query: z.object({
        q: Question.describe(`The question; at most ${MAX_QUERY_LENGTH} characters and ${MAX_QUERY_WORDS} distinct search words (stop words not counted)`),
        limit: z.coerce.number().int().min(1).max(100).default(10),
        rulebookId: IdParam.optional(),
        sourceType: z.enum(['rules', 'lore']).optional(),
        contentType: z.enum(CONTENT_TYPES).optional(),
        explain: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
        understanding: z.enum(['true', 'false']).default('true').transform((v) => v === 'true').describe('false: plain keyword search (no abbreviations, synonyms, corrections or intent)'),
        without: Features.optional().describe(`Query-understanding features to switch off, comma-separated: ${QUERY_FEATURES.join(', ')}`),
        with: Features.optional().describe('Features to switch on that are off by default (phrases)'),
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
    return c.json(await searchCampaignRules(c.var.scope, c.req.valid('param').campaignId, c.req.valid('query')), 200);
  },
);

rulesRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/rules/answer', tags: ['Rulebooks'],
    summary: "Answer a rules question from the campaign's books and house rules (which win): cited [book p.N] / [House rule: title] with page links, or \"the books don't say\"",
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      body: jsonBody(z.object({
        question: Question,
      })),
    },
    responses: {
      200: jsonResponse(z.object({
        question: z.string(), answer: z.string(),
        mode: z.enum(['extractive', 'model']).describe('extractive: the books\' own sentences; model: written by the narrator\'s model from the same sources, every citation checked'),
        label: z.string().nullable().describe('The model that wrote a model answer'),
        citations: z.array(z.union([
          z.object({ citation: z.string(), kind: z.literal('book'), rulebookTitle: z.string(), page: z.number().int(), headingPath: z.array(z.string()), passageId: z.number().int(), url: z.string(), attribution: z.string() }),
          z.object({ citation: z.string(), kind: z.literal('house-rule'), noteId: z.string(), title: z.string() }),
        ])),
      }), 'The answer'),
      ...commonErrors,
    },
  }),
  async (c) => {
    return c.json(await answerRulesQuestion(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')), 200);
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
    return c.json(await searchAnalytics(c.var.scope, c.req.valid('param').campaignId), 200);
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
    const { filename, object } = await signedRulebookFile(c.var.scope, { ...c.req.valid('param'), ...c.req.valid('query'), range: c.req.raw.headers });
    const headers = new Headers({
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="${filename.replace(/"/g, '')}"`,
      'cache-control': 'private, max-age=3600',
    });
    return rangedResponse(c.req.raw, object, headers) as never;
  },
);
