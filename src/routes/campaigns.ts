/**
 * Campaigns: create, list yours, read, update, archive and unarchive.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, count, desc, eq } from 'drizzle-orm';
import { principalOf } from '../auth/authenticate';
import { requireMember, type Viewer } from '../campaigns/access';
import { createEntity, updateEntity } from '../campaigns/versioned-store';
import { newId } from '../db/client';
import { campaigns, memberships } from '../db/schema';
import { conflict } from '../http/problem';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, jsonBody, jsonResponse } from '../http/router';
import { audit } from '../ops/audit';

const RoleSchema = z.enum(['gm', 'player', 'spectator']);

export const CampaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  gameSystem: z.string(),
  setting: z.string(),
  description: z.string(),
  status: z.enum(['active', 'archived']),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  myRole: RoleSchema,
}).openapi('Campaign');

const CampaignFields = {
  name: z.string().trim().min(1).max(120),
  gameSystem: z.string().trim().min(1).max(60),
  setting: z.string().max(200),
  description: z.string().max(10_000),
};
const CreateCampaign = z.object({
  name: CampaignFields.name,
  gameSystem: CampaignFields.gameSystem.default('dnd5e'),
  setting: CampaignFields.setting.default(''),
  description: CampaignFields.description.default(''),
}).openapi('CreateCampaign');
const UpdateCampaign = z.object({
  name: CampaignFields.name.optional(),
  gameSystem: CampaignFields.gameSystem.optional(),
  setting: CampaignFields.setting.optional(),
  description: CampaignFields.description.optional(),
  version: z.number().int().min(1).optional().describe('The version you edited; a newer current version answers 409'),
}).openapi('UpdateCampaign');

function present(row: typeof campaigns.$inferSelect, myRole: Viewer['role']) {
  return {
    id: row.id, name: row.name, gameSystem: row.gameSystem, setting: row.setting, description: row.description,
    status: row.status, createdAt: row.createdAt, updatedAt: row.updatedAt, version: row.version, myRole,
  };
}

export const campaignRoutes = createRouter();

campaignRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns', tags: ['Campaigns'], summary: 'Campaigns you belong to',
    security: bearerSecurity,
    request: { query: z.object({ status: z.enum(['active', 'archived', 'all']).default('active') }) },
    responses: { 200: jsonResponse(z.object({ items: z.array(CampaignSchema) }), 'Your campaigns'), ...commonErrors },
  }),
  async (c) => {
    const { status } = c.req.valid('query');
    const rows = await c.get('db')
      .select({ campaign: campaigns, role: memberships.role })
      .from(memberships)
      .innerJoin(campaigns, eq(campaigns.id, memberships.campaignId))
      .where(and(eq(memberships.userId, principalOf(c).userId), status === 'all' ? undefined : eq(campaigns.status, status)))
      .orderBy(desc(campaigns.updatedAt));
    return c.json({ items: rows.map((r) => present(r.campaign, r.role)) }, 200);
  },
);

campaignRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns', tags: ['Campaigns'], summary: 'Create a campaign; you become its GM',
    security: bearerSecurity,
    request: { body: jsonBody(CreateCampaign) },
    responses: { 201: jsonResponse(CampaignSchema, 'Created'), ...commonErrors },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const { userId } = principalOf(c);
    const id = newId();
    const row = await createEntity(c, 'campaign', id, { id, ...body, status: 'active', createdBy: userId }, [
      c.get('db').insert(memberships).values({ campaignId: id, userId, role: 'gm' }),
    ]);
    await audit(c, 'campaign.create', { campaignId: id });
    return c.json(present(row, 'gm'), 201);
  },
);

campaignRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}', tags: ['Campaigns'], summary: 'A campaign you belong to',
    security: bearerSecurity,
    request: { params: CampaignParams },
    responses: { 200: jsonResponse(CampaignSchema.extend({ memberCount: z.number().int() }), 'The campaign'), ...commonErrors },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId);
    const members = await c.get('db').select({ n: count() }).from(memberships).where(eq(memberships.campaignId, viewer.campaign.id)).get();
    return c.json({ ...present(viewer.campaign, viewer.role), memberCount: members?.n ?? 0 }, 200);
  },
);

campaignRoutes.openapi(
  createRoute({
    method: 'patch', path: '/campaigns/{campaignId}', tags: ['Campaigns'], summary: 'Update name, system, setting or description (GM)',
    security: bearerSecurity,
    request: { params: CampaignParams, body: jsonBody(UpdateCampaign) },
    responses: { 200: jsonResponse(CampaignSchema, 'Updated'), ...commonErrors },
  }),
  async (c) => {
    const viewer = await requireMember(c, c.req.valid('param').campaignId, 'gm', true);
    const { version, ...changes } = c.req.valid('json');
    const row = await updateEntity(c, 'campaign', viewer.campaign.id, viewer.campaign, changes, { expectedVersion: version });
    return c.json(present(row, viewer.role), 200);
  },
);

for (const [action, status] of [['archive', 'archived'], ['unarchive', 'active']] as const) {
  campaignRoutes.openapi(
    createRoute({
      method: 'post', path: `/campaigns/{campaignId}/${action}`, tags: ['Campaigns'],
      summary: action === 'archive' ? 'Archive: the campaign becomes read-only (GM)' : 'Bring an archived campaign back (GM)',
      security: bearerSecurity,
      request: { params: CampaignParams },
      responses: { 200: jsonResponse(CampaignSchema, 'Done'), ...commonErrors },
    }),
    async (c) => {
      const viewer = await requireMember(c, c.req.valid('param').campaignId, 'gm');
      if (viewer.campaign.status === status) throw conflict(`The campaign is already ${status}`);
      const row = await updateEntity(c, 'campaign', viewer.campaign.id, viewer.campaign, { status });
      if (action === 'archive') await audit(c, 'campaign.archive', { campaignId: viewer.campaign.id });
      return c.json(present(row, viewer.role), 200);
    },
  );
}
