/**
 * Content check against the campaign's truth data: a homebrew text, one
 * character sheet, or (GM) every character and NPC stat block of the
 * campaign. Results are cached per input and per state of the index.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { rateLimit } from '../http/middleware/rate-limit';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';
import { checkContent, type CheckInput } from '../services/content-check';

const FindingSchema = z.object({
  name: z.string(), status: z.enum(['known', 'misspelled', 'unknown']), type: z.string().nullable(), suggestion: z.string().nullable(), source: z.string(),
  pages: z.array(z.object({ rulebookId: z.string(), page: z.number().int(), url: z.string() })),
});
const ReportSchema = z.object({
  subject: z.object({ kind: z.enum(['text', 'character', 'npc']), id: z.string().nullable(), name: z.string() }),
  findings: z.array(FindingSchema),
}).openapi('ContentCheckReport');

const CheckBody = z.object({
  text: z.string().min(1).max(50_000).optional().describe('Homebrew or notes to check'),
  characterId: IdParam.optional().describe("Check a character sheet's spells and items"),
  scope: z.literal('campaign').optional().describe("GM: every character's spells and items, and every NPC stat block"),
}).refine((b) => [b.text, b.characterId, b.scope].filter((v) => v !== undefined).length === 1, { message: 'Give exactly one of text, characterId or scope' });

export const rulesCheckRoutes = createRouter();

// An expensive call (a 50 KB text is scanned against every entity): its own, tighter per-user bucket.
rulesCheckRoutes.use('/campaigns/:campaignId/rules/check', rateLimit('rules-check', (c) => c.get('principal')?.userId ?? null, (cfg) => cfg.rateLimit.rulesCheckPerMinute));

rulesCheckRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/rules/check', tags: ['Rulebooks'],
    summary: "Check a text, a character sheet or the whole campaign against the rulebooks' spells, monsters, items and conditions",
    security: bearerSecurity,
    request: { params: CampaignParams, body: jsonBody(CheckBody) },
    responses: {
      200: jsonResponse(z.object({
        reports: z.array(ReportSchema), entitiesIndexed: z.number().int(), cached: z.boolean(),
        summary: z.object({ known: z.number().int(), misspelled: z.number().int(), unknown: z.number().int() }),
      }), 'Findings with the pages that define each entity'),
      ...commonErrors,
    },
  }),
  async (c) => {
    return c.json(await checkContent(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json') as CheckInput), 200);
  },
);
