/**
 * Health endpoints for load balancers and operators.
 * `/health` checks each component with its latency and says what is degraded;
 * `/health/ready` answers 503 until D1 is reachable and migrated;
 * `/health/live` only says the isolate runs; `/metrics` is the platform's
 * state for a Prometheus scraper (behind METRICS_TOKEN).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, jsonResponse } from '../http/router';
import { platformHealth, readiness } from '../services/health';
import { platformMetrics } from '../services/metrics';

const ComponentSchema = z.object({
  status: z.enum(['ok', 'down', 'absent']),
  latencyMs: z.number().optional(),
  detail: z.string().optional(),
});

const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  environment: z.string(),
  components: z.record(z.string(), ComponentSchema),
  degraded: z.array(z.string()),
}).openapi('Health');

export const healthRoutes = createRouter();

healthRoutes.openapi(
  createRoute({
    method: 'get', path: '/health', tags: ['Operations'], summary: 'Component health with latencies',
    responses: { 200: jsonResponse(HealthSchema, 'Everything required works'), 503: jsonResponse(HealthSchema, 'A required component is down') },
  }),
  async (c) => {
    const health = await platformHealth(c.var.scope);
    return c.json(health, health.status === 'down' ? 503 : 200);
  },
);

healthRoutes.openapi(
  createRoute({
    method: 'get', path: '/health/ready', tags: ['Operations'], summary: 'Ready to serve: D1 reachable and migrated',
    responses: { 200: jsonResponse(z.object({ status: z.literal('ready') }), 'Ready'), 503: jsonResponse(z.object({ status: z.literal('not-ready'), detail: z.string() }), 'Not ready') },
  }),
  async (c) => {
    const check = await readiness(c.var.scope);
    return check.ready ? c.json({ status: 'ready' as const }, 200) : c.json({ status: 'not-ready' as const, detail: check.detail }, 503);
  },
);

healthRoutes.openapi(
  createRoute({
    method: 'get', path: '/health/live', tags: ['Operations'], summary: 'The Worker is running',
    responses: { 200: jsonResponse(z.object({ status: z.literal('live') }), 'Live') },
  }),
  (c) => c.json({ status: 'live' as const }, 200),
);

healthRoutes.openapi(
  createRoute({
    method: 'get', path: '/metrics', tags: ['Operations'],
    summary: 'Platform metrics in the Prometheus text format (Authorization: Bearer <METRICS_TOKEN>; 404 when the secret is not set)',
    responses: { 200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: z.string() } } }, 401: { description: 'Missing or wrong token' }, 404: { description: 'Metrics are off' } },
  }),
  async (c) => {
    const presented = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? null;
    const text = await platformMetrics(c.var.scope, presented);
    return c.body(text, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  },
);
