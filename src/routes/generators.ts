/** Generators: previews to accept as normal records (players and GMs). */
import { createRoute, z } from '@hono/zod-openapi';
import { ABILITY_METHODS, CLASSES, type ClassName } from '../game/character-builder';
import { CharacterSheetSchema } from '../game/character-sheet';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, jsonBody, jsonResponse } from '../http/router';
import { generateCharacter } from '../services/generators';

const text = (max: number) => z.string().trim().min(1).max(max);

export const generatorRoutes = createRouter();

generatorRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/generate/character', tags: ['Narrator'],
    summary: 'A first-level character to preview: abilities by standard array, point buy or 4d6 drop lowest (rolled by the server), a name and backstory from the narrator (or a template); accept it with POST …/characters',
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      body: jsonBody(z.object({
        className: z.enum(Object.keys(CLASSES) as [ClassName, ...ClassName[]]), method: z.enum(ABILITY_METHODS).default('standard-array'),
        name: text(80).optional(), race: text(60).optional(), background: text(60).optional(),
      })),
    },
    responses: {
      200: jsonResponse(z.object({
        name: z.string(), sheet: CharacterSheetSchema, rolls: z.array(z.object({ total: z.number().int(), text: z.string() })), method: z.enum(ABILITY_METHODS),
        label: z.string().describe('Who wrote the name and story: a model, or the template'), accept: z.object({ method: z.string(), path: z.string(), body: z.string() }),
      }), 'The preview'),
      ...commonErrors,
    },
  }),
  async (c) => c.json(await generateCharacter(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')) as never, 200),
);
