/** The narrator's cost for a campaign: calls, tokens and estimated spend today and this month, with the budgets (GM). */
import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, jsonResponse } from '../http/router';
import { campaignUsage } from '../services/ai-usage';

const Totals = z.object({ calls: z.number(), inputTokens: z.number(), outputTokens: z.number(), costMicroUsd: z.number(), estimatedUsd: z.number() });
const Period = Totals.extend({
  since: z.string(),
  byKind: z.array(Totals.extend({ kind: z.string(), provider: z.string(), model: z.string() })),
  byUser: z.array(Totals.extend({ userId: z.string().nullable(), displayName: z.string().nullable() })),
});
const UsageSchema = z.object({
  today: Period, month: Period,
  budgets: z.object({ dailyTokensPerCampaign: z.number(), dailyTokensPerUser: z.number(), usdPerMillionInput: z.number(), usdPerMillionOutput: z.number(), scriptedIsFree: z.boolean() }),
}).openapi('AiUsage');

export const aiUsageRoutes = createRouter();

aiUsageRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/ai/usage', tags: ['Narrator'], summary: "The narrator's usage and estimated cost, today and this month, with the daily budgets (GM)",
    security: bearerSecurity,
    request: { params: CampaignParams },
    responses: { 200: jsonResponse(UsageSchema, 'Usage'), ...commonErrors },
  }),
  async (c) => c.json(await campaignUsage(c.var.scope, c.req.valid('param').campaignId), 200),
);
