/** The narrator's settings for a campaign: model preference and voice (members read, the GM sets). */
import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, CampaignParams, commonErrors, createRouter, jsonBody, jsonResponse } from '../http/router';
import { getNarratorSettings, STYLE_PRESETS, updateNarratorSettings, type StylePreset } from '../services/narrator-settings';

const providers = z.enum(['default', 'scripted', 'workers-ai', 'endpoint']);
const presets = z.enum(Object.keys(STYLE_PRESETS) as [StylePreset, ...StylePreset[]]);
const SettingsSchema = z.object({
  provider: providers, effective: z.object({ kind: z.string(), model: z.string(), label: z.string() }).describe('The model that speaks now'),
  available: z.array(providers), stylePreset: presets.nullable(), styleSample: z.string(), style: z.string().describe('The voice instructions the narrator follows'),
  presets: z.record(z.string(), z.string()), updatedAt: z.string().nullable(),
  speech: z.object({
    enabled: z.boolean().describe('Narrations and NPC lines are spoken aloud'), narratorVoice: z.string(),
    kind: z.enum(['workers-ai', 'openai-compatible', 'tones']), model: z.string(), label: z.string().describe('What speaks: a model, or the labelled placeholder tones'),
    voices: z.array(z.string()),
  }),
}).openapi('NarratorSettings');

export const narratorRoutes = createRouter();

narratorRoutes.openapi(
  createRoute({
    method: 'get', path: '/campaigns/{campaignId}/narrator', tags: ['Narrator'], summary: "The campaign's narrator: which model speaks and in which voice",
    security: bearerSecurity, request: { params: CampaignParams },
    responses: { 200: jsonResponse(SettingsSchema, 'Settings'), ...commonErrors },
  }),
  async (c) => c.json(await getNarratorSettings(c.var.scope, c.req.valid('param').campaignId), 200),
);

narratorRoutes.openapi(
  createRoute({
    method: 'put', path: '/campaigns/{campaignId}/narrator', tags: ['Narrator'],
    summary: 'Choose the model (among those the platform serves), the style (a genre preset, or a sample of your prose to derive one from) and whether narrations are spoken aloud (GM)',
    security: bearerSecurity,
    request: {
      params: CampaignParams,
      body: jsonBody(z.object({
        provider: providers.optional(), stylePreset: presets.nullable().optional(), styleSample: z.string().max(5000).optional(),
        speech: z.object({ enabled: z.boolean().optional(), narratorVoice: z.string().trim().max(40).optional() }).optional().describe('Voices (opt-in): on or off, and the narrator\'s speaker'),
      })),
    },
    responses: { 200: jsonResponse(SettingsSchema, 'Settings now'), 422: { description: 'The platform cannot serve that provider now', content: commonErrors[409].content }, ...commonErrors },
  }),
  async (c) => c.json(await updateNarratorSettings(c.var.scope, c.req.valid('param').campaignId, c.req.valid('json')), 200),
);
