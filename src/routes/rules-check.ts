/**
 * Content check against the campaign's truth data: a homebrew text, one
 * character sheet, or (GM) every character and NPC stat block of the
 * campaign. Results are cached per input and per state of the index.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { rateLimit } from '../http/middleware/rate-limit';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';
import { checkContent, type CheckInput } from '../services/content-check';
import { judgeHomebrew, JUDGED_KINDS } from '../services/judgement';

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

// Expensive calls, under one tighter per-user bucket: the check scans a 50 KB text against every entity, the
// judgement (the model's opinion on homebrew) is a model call on top of a search.
const rulesCheckBucket = rateLimit('rules-check', (c) => c.get('principal')?.userId ?? null, (cfg) => cfg.rateLimit.rulesCheckPerMinute);
rulesCheckRoutes.use('/campaigns/:campaignId/rules/check', rulesCheckBucket);
rulesCheckRoutes.use('/campaigns/:campaignId/rules/judge', rulesCheckBucket);

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


rulesCheckRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/rules/judge', tags: ['Rulebooks'],
    summary: "The model's opinion of homebrew (players and GMs): its balance against comparable official options from your rulebooks, each cited; without a model, the comparable passages alone",
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      body: jsonBody(z.object({ text: z.string().trim().min(10).max(4000).describe('The homebrew, as you would show it to the table'), kind: z.enum(JUDGED_KINDS).default('other') })),
    },
    responses: {
      200: jsonResponse(z.object({
        kind: z.enum(JUDGED_KINDS),
        opinion: z.object({
          verdict: z.enum(['underpowered', 'balanced', 'overpowered', 'unclear']), summary: z.string(),
          comparisons: z.array(z.object({ citation: z.string(), url: z.string(), note: z.string() })), suggestions: z.array(z.string()),
          label: z.string().describe('The model that judged'), disclaimer: z.string().describe("Always: this is the model's opinion, not a rule"),
        }).nullable(),
        reason: z.string().nullable().describe('Why there is no opinion (no model, allowance spent, nothing comparable)'),
        comparables: z.array(z.object({
          citation: z.string(), rulebookTitle: z.string(), page: z.number().int(), headingPath: z.array(z.string()), url: z.string(), attribution: z.string().nullable().optional(), snippet: z.string(),
        })),
      }), 'The judgement'),
      ...commonErrors,
    },
  }),
  async (c) => c.json(await judgeHomebrew(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')) as never, 200),
);
