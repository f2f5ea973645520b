/**
 * NPCs, locations and plot threads: one route module for three kinds of
 * world documents. The GM creates and edits them; players and spectators
 * read only the ones shared with the party, and never their GM-only part.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { createLore, deleteLore, getLore, listLore, LORE_KINDS, updateLore, type LoreKind } from '../services/lore';
import { bearerSecurity, CampaignItemParams, CampaignParams, commonErrors, createRouter, jsonBody, jsonResponse } from '../http/router';

function registerKind(kind: LoreKind) {
  const Item = z.object({
    id: z.string(), campaignId: z.string(), name: z.string(), visibility: z.enum(['gm', 'party']),
    data: kind.data, gmOnly: kind.gmOnly.optional().describe('GM only; absent for players'),
    version: z.number().int(), createdAt: z.string(), updatedAt: z.string(),
  }).openapi(kind.label.replace(/\s/g, ''));
  const Create = z.object({
    name: z.string().trim().min(1).max(200),
    visibility: z.enum(['gm', 'party']).default('party').describe('gm: hidden from players until revealed'),
    data: kind.data.default(kind.data.parse({})),
    gmOnly: kind.gmOnly.default(kind.gmOnly.parse({})),
  });
  const Update = z.object({
    name: z.string().trim().min(1).max(200).optional(),
    visibility: z.enum(['gm', 'party']).optional(),
    data: z.record(z.string(), z.unknown()).optional().describe('Fields of `data` to replace; the result is validated as a whole'),
    gmOnly: z.record(z.string(), z.unknown()).optional().describe('Fields of `gmOnly` to replace; the result is validated as a whole'),
    version: z.number().int().min(1).optional(),
  });
  const base = `/campaigns/{campaignId}/${kind.path}`;
  const tags = [kind.tag];

  loreRoutes.openapi(
    createRoute({
      method: 'get', path: base, tags, summary: `List ${kind.tag}`, security: bearerSecurity,
      request: { params: CampaignParams, query: z.object({ q: z.string().trim().max(200).optional().describe('Name contains') }) },
      responses: { 200: jsonResponse(z.object({ items: z.array(Item) }), kind.tag), ...commonErrors },
    }),
    async (c) => {
      return c.json({ items: await listLore(c.var.scope, kind.type, c.req.valid('param').campaignId, c.req.valid('query')) } as never, 200);
    },
  );

  loreRoutes.openapi(
    createRoute({
      method: 'post', path: base, tags, summary: `Create a ${kind.label} (GM)`, security: bearerSecurity,
      request: { params: CampaignParams, body: jsonBody(Create) },
      responses: { 201: jsonResponse(Item, 'Created'), ...commonErrors },
    }),
    async (c) => {
      return c.json(await createLore(c.var.scope, kind.type, c.req.valid('param').campaignId, c.req.valid('json')) as never, 201);
    },
  );

  loreRoutes.openapi(
    createRoute({
      method: 'get', path: `${base}/{id}`, tags, summary: `One ${kind.label}`, security: bearerSecurity,
      request: { params: CampaignItemParams },
      responses: { 200: jsonResponse(Item, kind.label), ...commonErrors },
    }),
    async (c) => {
      const { campaignId, id } = c.req.valid('param');
      return c.json(await getLore(c.var.scope, kind.type, campaignId, id) as never, 200);
    },
  );

  loreRoutes.openapi(
    createRoute({
      method: 'patch', path: `${base}/{id}`, tags, summary: `Edit a ${kind.label} (GM)`, security: bearerSecurity,
      request: { params: CampaignItemParams, body: jsonBody(Update) },
      responses: { 200: jsonResponse(Item, 'Updated'), ...commonErrors },
    }),
    async (c) => {
      const { campaignId, id } = c.req.valid('param');
      return c.json(await updateLore(c.var.scope, kind.type, campaignId, id, c.req.valid('json')) as never, 200);
    },
  );

  loreRoutes.openapi(
    createRoute({
      method: 'delete', path: `${base}/{id}`, tags, summary: `Delete a ${kind.label} (GM; kept in history)`, security: bearerSecurity,
      request: { params: CampaignItemParams },
      responses: { 204: { description: 'Deleted' }, ...commonErrors },
    }),
    async (c) => {
      const { campaignId, id } = c.req.valid('param');
      await deleteLore(c.var.scope, kind.type, campaignId, id);
      return c.body(null, 204);
    },
  );
}

export const loreRoutes = createRouter();
for (const kind of LORE_KINDS) registerKind(kind);
