/**
 * Campaigns: create, list yours, read, update, archive and unarchive.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, jsonBody, jsonResponse } from '../http/router';
import { attachment } from '../http/attachment';
import { exportCampaign } from '../services/campaign-export';
import { importCampaign } from '../services/campaign-import';
import { createCampaign, getCampaign, listCampaigns, setCampaignStatus, updateCampaign } from '../services/campaigns';

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

export const campaignRoutes = createRouter();

campaignRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns', tags: ['Campaigns'], summary: 'Campaigns you belong to',
    security: bearerSecurity,
    request: { query: z.object({ status: z.enum(['active', 'archived', 'all']).default('active') }) },
    responses: { 200: jsonResponse(z.object({ items: z.array(CampaignSchema) }), 'Your campaigns'), ...commonErrors },
  }),
  async (c) => {
    return c.json({ items: await listCampaigns(c.var.scope, c.req.valid('query')) }, 200);
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
    return c.json(await createCampaign(c.var.scope, c.req.valid('json')), 201);
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
    return c.json(await getCampaign(c.var.scope, c.req.valid('param').campaignId), 200);
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
    return c.json(await updateCampaign(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')), 200);
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
      return c.json(await setCampaignStatus(c.var.scope, c.req.valid('param').campaignId, status), 200);
    },
  );
}

campaignRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/export', tags: ['Campaigns'],
    summary: 'The whole campaign as one versioned JSON file (GM): records, history, sessions with their logs, rulebook metadata',
    security: bearerSecurity,
    request: { params: CampaignParams },
    responses: {
      200: jsonResponse(z.object({ format: z.literal('lorekeeper.campaign'), version: z.number().int(), schema: z.string(), exportedAt: z.string() }).loose(), 'The campaign file'),
      ...commonErrors,
    },
  }),
  async (c) => {
    const file = await exportCampaign(c.var.scope, c.req.valid('param').campaignId);
    c.header('content-disposition', attachment(file.campaign.name, 'campaign', '.lorekeeper.json'));
    // Snapshots and table payloads are open JSON documents, which the response type cannot describe.
    return c.json(file as never, 200);
  },
);

campaignRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/import', tags: ['Campaigns'],
    summary: 'A new campaign from a campaign file (GET …/export), with you as its GM; every id is new, other members\' characters become yours to reassign',
    security: bearerSecurity,
    request: { body: jsonBody(z.record(z.string(), z.unknown()).describe('The campaign file, as GET /campaigns/{campaignId}/export gives it')) },
    responses: {
      201: jsonResponse(z.object({ campaignId: z.string(), imported: z.record(z.string(), z.number()), report: z.object({}).loose() }), 'Imported'),
      ...commonErrors,
    },
  }),
  async (c) => {
    return c.json(await importCampaign(c.var.scope, c.req.valid('json')), 201);
  },
);
