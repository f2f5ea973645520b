/**
 * Lines and veils: the campaign's safety lists, read by everyone at the
 * table, added to anonymously by players and GMs, edited by the GM.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, jsonBody, jsonResponse } from '../http/router';
import { addSafetyItem, getSafety, MAX_SAFETY_ITEMS, setSafety } from '../services/safety';

const item = z.string().trim().min(1).max(200);
const SafetySchema = z.object({ lines: z.array(z.string()), veils: z.array(z.string()), updatedAt: z.string().nullable() }).openapi('SafetyLists');

export const safetyRoutes = createRouter();

safetyRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/safety', tags: ['Table'], summary: 'Lines and veils of the campaign',
    security: bearerSecurity,
    request: { params: CampaignParams },
    responses: { 200: jsonResponse(SafetySchema, 'Lines (never in the game) and veils (off-screen)'), ...commonErrors },
  }),
  async (c) => c.json(await getSafety(c.var.scope, c.req.valid('param').campaignId), 200),
);

safetyRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/safety', tags: ['Table'], summary: 'Add a line or a veil, anonymously (players and GMs)',
    security: bearerSecurity,
    request: { params: CampaignParams, body: jsonBody(z.object({ kind: z.enum(['line', 'veil']), text: item })) },
    responses: { 200: jsonResponse(SafetySchema, 'The lists now'), ...commonErrors },
  }),
  async (c) => c.json(await addSafetyItem(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')), 200),
);

safetyRoutes.openapi(
  createRoute({
    method: 'put', path: '/campaigns/{campaignId}/safety', tags: ['Table'], summary: 'Replace the lines and veils (GM)',
    security: bearerSecurity,
    request: { params: CampaignParams, body: jsonBody(z.object({ lines: z.array(item).max(MAX_SAFETY_ITEMS), veils: z.array(item).max(MAX_SAFETY_ITEMS) })) },
    responses: { 200: jsonResponse(SafetySchema, 'The lists now'), ...commonErrors },
  }),
  async (c) => c.json(await setSafety(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')), 200),
);
