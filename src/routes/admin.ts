/** Operator views: platform status and the audit log (operators only; `npm run operator` makes one). */
import { createRoute, z } from '@hono/zod-openapi';
import { auditLog, platformStatus } from '../services/admin';
import { bearerSecurity, commonErrors, createRouter, IdParam, jsonResponse } from '../http/router';

export const adminRoutes = createRouter();

adminRoutes.openapi(
  createRoute({
    method: 'get', path: '/admin/status', tags: ['Operations'], summary: 'Platform status: bindings, counts, the last maintenance run (operators)', security: bearerSecurity,
    responses: { 200: jsonResponse(z.object({ environment: z.string(), health: z.object({}).passthrough(), counts: z.object({}).passthrough(), maintenance: z.object({}).passthrough().nullable(), backups: z.null() }), 'Status'), ...commonErrors },
  }),
  async (c) => c.json(await platformStatus(c.var.scope) as never, 200),
);

adminRoutes.openapi(
  createRoute({
    method: 'get', path: '/admin/audit', tags: ['Operations'], summary: 'The audit log, newest first, with filters (operators)', security: bearerSecurity,
    request: {
      query: z.object({
        type: z.string().trim().max(60).optional(), actorUserId: IdParam.optional(), campaignId: IdParam.optional(),
        since: z.string().datetime().optional().describe('ISO 8601 time'), limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).max(100_000).default(0),
      }),
    },
    responses: { 200: jsonResponse(z.object({ items: z.array(z.object({}).passthrough()) }), 'Audit events'), ...commonErrors },
  }),
  async (c) => c.json(await auditLog(c.var.scope, c.req.valid('query')) as never, 200),
);
