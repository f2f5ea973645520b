/** What the narrator keeps about a player: the player and the GM read it; the player resets their own. */
import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, IdParam, jsonResponse } from '../http/router';
import { getPlayerProfile, resetPlayerProfile } from '../services/player-profiles';

const ProfileSchema = z.object({
  userId: z.string(), displayName: z.string(), resetAt: z.string().nullable(),
  profile: z.object({
    actions: z.number().int(), interests: z.record(z.string(), z.number().int()), failureRate: z.number().nullable(),
    stuck: z.array(z.object({ check: z.string(), times: z.number().int() })),
  }),
  note: z.string().nullable().describe('The line narrations for the table read'),
}).openapi('PlayerProfile');

export const playerProfileRoutes = createRouter();

playerProfileRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/players/{userId}/profile', tags: ['Narrator'],
    summary: 'What the narrator keeps about a player, from their actions (the player themself and the GM)', security: bearerSecurity,
    request: { params: CampaignParams.extend({ userId: IdParam }) },
    responses: { 200: jsonResponse(ProfileSchema, 'The profile'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, userId } = c.req.valid('param');
    return c.json(await getPlayerProfile(c.var.scope, campaignId, userId), 200);
  },
);

playerProfileRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/profile/reset', tags: ['Narrator'],
    summary: 'Forget what the narrator kept about you in this campaign (only later actions count)', security: bearerSecurity,
    request: { params: CampaignParams },
    responses: { 200: jsonResponse(ProfileSchema, 'Your profile now'), ...commonErrors },
  }),
  async (c) => c.json(await resetPlayerProfile(c.var.scope, c.req.valid('param').campaignId), 200),
);
