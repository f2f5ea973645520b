/** What the campaign remembers: facts extracted at each session's end or written by the GM (members read, the GM corrects). */
import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';
import { addFact, listFacts, updateFact } from '../services/facts';

const kind = z.enum(['death', 'promise', 'discovery', 'other']);
const visibility = z.enum(['party', 'gm']);
const FactSchema = z.object({
  id: z.string(), kind, text: z.string(), visibility, source: z.enum(['extracted', 'gm']), status: z.enum(['active', 'retracted']),
  sessionId: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
}).openapi('CampaignFact');
const FactParams = CampaignParams.extend({ factId: IdParam });

export const factRoutes = createRouter();

factRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/facts', tags: ['Narrator'], summary: 'What the campaign remembers (players: the party\'s facts)', security: bearerSecurity,
    request: { params: CampaignParams, query: z.object({ status: z.enum(['active', 'retracted']).optional() }) },
    responses: { 200: jsonResponse(z.object({ items: z.array(FactSchema) }), 'Facts, newest first'), ...commonErrors },
  }),
  async (c) => c.json(await listFacts(c.var.scope, c.req.valid('param').campaignId, c.req.valid('query')), 200),
);

factRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/facts', tags: ['Narrator'], summary: 'Add a fact the narrator must remember (GM)', security: bearerSecurity,
    request: { params: CampaignParams, body: jsonBody(z.object({ kind: kind.default('other'), text: z.string().trim().min(3).max(300), visibility: visibility.default('party') })) },
    responses: { 201: jsonResponse(FactSchema, 'Added'), ...commonErrors },
  }),
  async (c) => c.json(await addFact(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')), 201),
);

factRoutes.openapi(
  createRoute({
    method: 'patch', path: '/campaigns/{campaignId}/facts/{factId}', tags: ['Narrator'], summary: 'Correct, hide or retract a fact (GM)', security: bearerSecurity,
    request: { params: FactParams, body: jsonBody(z.object({ kind: kind.optional(), text: z.string().trim().min(3).max(300).optional(), visibility: visibility.optional(), status: z.enum(['active', 'retracted']).optional() })) },
    responses: { 200: jsonResponse(FactSchema, 'The fact now'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, factId } = c.req.valid('param');
    return c.json(await updateFact(c.var.scope, campaignId, factId, c.req.valid('json')), 200);
  },
);
