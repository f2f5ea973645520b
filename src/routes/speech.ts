/** Voices: the GM previews a line in a voice; members fetch stored audio (byte ranges for players). */
import { createRoute, z } from '@hono/zod-openapi';
import { rangedResponse } from '../http/ranged';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, jsonBody, jsonResponse } from '../http/router';
import { previewVoice, readAudio } from '../services/speech';

export const speechRoutes = createRouter();

speechRoutes.openapi(
  createRoute({
    method: 'post', path: '/campaigns/{campaignId}/speech', tags: ['Narrator'],
    summary: "Hear a line in a voice before the table does (GM; voices must be on): an NPC's speaker, a speaker by name, or the narrator's",
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      body: jsonBody(z.object({ text: z.string().trim().min(1).max(1000), npcId: z.string().uuid().optional(), voice: z.string().trim().min(1).max(40).optional() })),
    },
    responses: {
      200: jsonResponse(z.object({
        audioId: z.string(), url: z.string().describe('GET it with your token (byte ranges supported)'), contentType: z.string(), bytes: z.number().int(),
        voice: z.string(), label: z.string().describe('What spoke: a model, or the labelled placeholder tones'), cached: z.boolean(),
      }), 'The audio'),
      ...commonErrors,
    },
  }),
  async (c) => c.json(await previewVoice(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')), 200),
);

speechRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/audio/{audioId}', tags: ['Narrator'],
    summary: 'Stored audio of a narration or a preview (members; GM-only narrations to GMs), with byte ranges',
    security: bearerSecurity,
    request: { params: CampaignParams.extend({ audioId: z.string().regex(/^[0-9a-f]{64}$/, 'An audio id (64 hex digits)') }) },
    responses: { 200: { description: 'The audio' }, 206: { description: 'A byte range of it' }, ...commonErrors },
  }),
  async (c) => {
    const { campaignId, audioId } = c.req.valid('param');
    const object = await readAudio(c.var.scope, campaignId, audioId, c.req.raw.headers);
    const headers = new Headers({ 'content-type': object.httpMetadata?.contentType ?? 'audio/mpeg', 'cache-control': 'private, max-age=86400' });
    return rangedResponse(c.req.raw, object, headers) as never;
  },
);
