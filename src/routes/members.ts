/**
 * Membership: invite codes (expiry, use limits), joining, the member list,
 * role changes (GM only) and leaving. A campaign always keeps at least one GM.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';
import { changeRole, createInvite, joinWithInvite, listInvites, listMembers, removeMember, revokeInvite } from '../services/members';

const MemberSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  email: z.string().optional().describe('Shown to GMs only'),
  role: z.enum(['gm', 'player', 'spectator']),
  joinedAt: z.string(),
}).openapi('Member');

const InviteSchema = z.object({
  id: z.string(),
  code: z.string(),
  role: z.enum(['player', 'spectator']),
  maxUses: z.number().int(),
  uses: z.number().int(),
  expiresAt: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
}).openapi('Invite');

const MemberParams = z.object({ campaignId: IdParam, userId: IdParam });
const InviteCode = z.string().trim().min(6).max(32).regex(/^[A-Za-z0-9_-]+$/, 'Invite codes are letters, digits, - and _');

export const memberRoutes = createRouter();

memberRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/members', tags: ['Members'], summary: 'Who is in the campaign',
    security: bearerSecurity,
    request: { params: CampaignParams },
    responses: { 200: jsonResponse(z.object({ items: z.array(MemberSchema) }), 'Members'), ...commonErrors },
  }),
  async (c) => {
    return c.json({ items: await listMembers(c.var.scope, c.req.valid('param').campaignId) }, 200);
  },
);

memberRoutes.openapi(
  createRoute({
    method: 'patch', path: '/campaigns/{campaignId}/members/{userId}', tags: ['Members'], summary: "Change a member's role (GM)",
    security: bearerSecurity,
    request: { params: MemberParams, body: jsonBody(z.object({ role: z.enum(['gm', 'player', 'spectator']) })) },
    responses: { 200: jsonResponse(MemberSchema, 'Updated'), ...commonErrors },
  }),
  async (c) => {
    const { campaignId, userId } = c.req.valid('param');
    return c.json(await changeRole(c.var.scope, campaignId, userId, c.req.valid('json').role), 200);
  },
);

memberRoutes.openapi(
  createRoute({
    method: 'delete', path: '/campaigns/{campaignId}/members/{userId}', tags: ['Members'],
    summary: 'Remove a member (GM), or leave the campaign (your own user id)',
    security: bearerSecurity,
    request: { params: MemberParams },
    responses: { 204: { description: 'Removed' }, ...commonErrors },
  }),
  async (c) => {
    const { campaignId, userId } = c.req.valid('param');
    await removeMember(c.var.scope, campaignId, userId);
    return c.body(null, 204);
  },
);

memberRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/invites', tags: ['Members'], summary: 'Create an invite code (GM)',
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      body: jsonBody(z.object({
        role: z.enum(['player', 'spectator']).default('player'),
        maxUses: z.number().int().min(1).max(100).default(1),
        expiresInHours: z.number().int().min(1).max(24 * 30).default(72),
      })),
    },
    responses: { 201: jsonResponse(InviteSchema, 'The invite; share its code'), ...commonErrors },
  }),
  async (c) => {
    return c.json(await createInvite(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')), 201);
  },
);

memberRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/invites', tags: ['Members'], summary: 'Invite codes of the campaign (GM)',
    security: bearerSecurity,
    request: { params: CampaignParams },
    responses: { 200: jsonResponse(z.object({ items: z.array(InviteSchema) }), 'Invites'), ...commonErrors },
  }),
  async (c) => {
    return c.json({ items: await listInvites(c.var.scope, c.req.valid('param').campaignId) }, 200);
  },
);

memberRoutes.openapi(
  createRoute({
    method: 'delete', path: '/campaigns/{campaignId}/invites/{id}', tags: ['Members'], summary: 'Revoke an invite code (GM)',
    security: bearerSecurity,
    request: { params: z.object({ campaignId: IdParam, id: IdParam }) },
    responses: { 204: { description: 'Revoked' }, ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    await revokeInvite(c.var.scope, campaignId, id);
    return c.body(null, 204);
  },
);

memberRoutes.openapi(
  createRoute({
    method: 'post', path: '/invites/join', tags: ['Members'], summary: 'Join a campaign with an invite code',
    security: bearerSecurity,
    request: { body: jsonBody(z.object({ code: InviteCode })) },
    responses: {
      201: jsonResponse(z.object({ campaignId: z.string(), campaignName: z.string(), role: z.enum(['player', 'spectator']) }), 'Joined'),
      410: { description: 'The invite expired or has no uses left', content: commonErrors[404].content },
      ...commonErrors,
    },
  }),
  async (c) => {
    return c.json(await joinWithInvite(c.var.scope, c.req.valid('json').code), 201);
  },
);
