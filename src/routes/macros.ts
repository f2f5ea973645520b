/**
 * Roll macros: a player's own saved rolls (`!sneak` at the table), with `@`
 * names filled from the character sheet when they run (src/game/macros.ts).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { MACRO_NAME } from '../game/macros';
import { bearerSecurity, CampaignItemParams, CampaignParams, commonErrors, createRouter, IdParam, jsonBody, jsonResponse } from '../http/router';
import { createMacro, deleteMacro, listMacros } from '../services/macros';

const MacroSchema = z.object({
  id: z.string(), campaignId: z.string(), name: z.string(), expression: z.string(), characterId: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
}).openapi('Macro');

export const macroRoutes = createRouter();

macroRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/macros', tags: ['Table'], summary: 'Your roll macros in this campaign',
    security: bearerSecurity,
    request: { params: CampaignParams },
    responses: { 200: jsonResponse(z.object({ items: z.array(MacroSchema) }), 'Macros'), ...commonErrors },
  }),
  async (c) => c.json({ items: await listMacros(c.var.scope, c.req.valid('param').campaignId) }, 200),
);

macroRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/macros', tags: ['Table'],
    summary: 'Save a roll macro (players and GMs)',
    description: 'Run it at the table with `!name` or a `macro.run` frame. `@` names are filled from the sheet when it runs: `@str`…`@cha`, `@prof`, `@level`, `@init`, skills (`@stealth`, `@sleight_of_hand`) and saves (`@dex_save`).',
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      body: jsonBody(z.object({
        name: z.string().regex(MACRO_NAME, 'Letters, digits, - and _, at most 40').openapi({ example: 'sneak' }),
        expression: z.string().trim().min(1).max(200).openapi({ example: '1d20+@stealth # Sneak' }),
        characterId: IdParam.nullable().optional(),
      })),
    },
    responses: { 201: jsonResponse(MacroSchema, 'Saved'), ...commonErrors },
  }),
  async (c) => c.json(await createMacro(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')), 201),
);

macroRoutes.openapi(
  createRoute({
    method: 'delete', path: '/campaigns/{campaignId}/macros/{id}', tags: ['Table'], summary: 'Delete one of your macros',
    security: bearerSecurity,
    request: { params: CampaignItemParams },
    responses: { 204: { description: 'Deleted' }, ...commonErrors },
  }),
  async (c) => {
    const { campaignId, id } = c.req.valid('param');
    await deleteMacro(c.var.scope, campaignId, id);
    return c.body(null, 204);
  },
);
