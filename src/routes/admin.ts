/** Operator views: platform status and the audit log (operators only; `npm run operator` makes one). */
import { createRoute, z } from '@hono/zod-openapi';
import { auditLog, platformStatus } from '../services/admin';
import { listBackups, startBackup } from '../services/backups';
import { clearCaches } from '../services/cache-generation';
import { bearerSecurity, commonErrors, createRouter, IdParam, jsonResponse } from '../http/router';

export const adminRoutes = createRouter();

const BackupRun = z.object({
  id: z.string(), status: z.enum(['running', 'done', 'failed']), trigger: z.enum(['cron', 'operator']), startedAt: z.string(), finishedAt: z.string().nullable(),
  ageSeconds: z.number().int(), schema: z.string(), bookmark: z.string().nullable(), sizeBytes: z.number().int(), rows: z.number().int(), error: z.string().nullable(),
  tables: z.object({ done: z.number().int(), total: z.number().int() }), manifest: z.string().nullable().describe('R2 key of the encrypted manifest (npm run restore reads it)'),
}).openapi('BackupRun');

adminRoutes.openapi(
  createRoute({
    method: 'get', path: '/admin/status', tags: ['Operations'], summary: 'Platform status: bindings, counts, the last maintenance run (operators)', security: bearerSecurity,
    responses: { 200: jsonResponse(z.object({ environment: z.string(), release: z.string().nullable(), queues: z.object({}).passthrough(), health: z.object({}).passthrough(), counts: z.object({}).passthrough(), maintenance: z.object({}).passthrough().nullable(), backups: z.object({ enabled: z.boolean(), last: BackupRun.nullable(), lastSuccessful: BackupRun.nullable() }) }), 'Status'), ...commonErrors },
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

adminRoutes.openapi(
  createRoute({
    method: 'post', path: '/admin/backups', tags: ['Operations'], summary: 'Start a backup now (operators); its steps run on the backup queue', security: bearerSecurity,
    responses: { 202: jsonResponse(BackupRun, 'Started; poll GET /api/admin/backups'), ...commonErrors, 503: { description: 'Backups are off (no BACKUP_RECIPIENT)', content: commonErrors[409].content } },
  }),
  async (c) => c.json(await startBackup(c.var.scope, 'operator'), 202),
);

adminRoutes.openapi(
  createRoute({
    method: 'get', path: '/admin/backups', tags: ['Operations'], summary: 'Backups, newest first, with age, size and result (operators)', security: bearerSecurity,
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
    responses: { 200: jsonResponse(z.object({ items: z.array(BackupRun), recipientSet: z.boolean() }), 'Backups'), ...commonErrors },
  }),
  async (c) => c.json(await listBackups(c.var.scope, c.req.valid('query')), 200),
);

adminRoutes.openapi(
  createRoute({
    method: 'post', path: '/admin/cache/clear', tags: ['Operations'], summary: 'Clear every cache on the platform (operators): cached results are recomputed from the next request on', security: bearerSecurity,
    responses: { 200: jsonResponse(z.object({ generation: z.number().int(), clearedAt: z.string() }), 'Cleared'), ...commonErrors },
  }),
  async (c) => c.json(await clearCaches(c.var.scope), 200),
);
