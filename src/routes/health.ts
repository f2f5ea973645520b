/**
 * Health endpoints for load balancers and operators.
 * `/health` checks each component with its latency and says what is degraded;
 * `/health/ready` answers 503 until D1 is reachable and migrated;
 * `/health/live` only says the isolate runs.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { createRouter, jsonResponse } from '../http/router';

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

type Component = z.infer<typeof ComponentSchema>;

async function timed(check: () => Promise<unknown>): Promise<Component> {
  const started = performance.now();
  try {
    await check();
    return { status: 'ok', latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (err) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), detail: err instanceof Error ? err.message : String(err) };
  }
}

export const healthRoutes = createRouter();

healthRoutes.openapi(
  createRoute({
    method: 'get', path: '/health', tags: ['Operations'], summary: 'Component health with latencies',
    responses: { 200: jsonResponse(HealthSchema, 'Everything required works'), 503: jsonResponse(HealthSchema, 'A required component is down') },
  }),
  async (c) => {
    const config = c.get('config');
    const [d1, r2] = await Promise.all([
      timed(() => c.get('db').run(sql`select 1`)),
      timed(() => c.env.FILES.head('health/probe')),
    ]);
    const components: Record<string, Component> = {
      d1,
      r2,
      ai: c.env.AI ? { status: 'ok', detail: 'Workers AI bound' } : { status: 'absent', detail: 'Workers AI not bound: the narrator uses the configured OpenAI-compatible endpoint or the scripted narrator' },
      vectorize: c.env.VECTORIZE ? { status: 'ok', detail: 'Vectorize bound' } : { status: 'absent', detail: 'Vectorize not bound: rules search is lexical (FTS5) only' },
      auth: config.jwtSecret ? { status: 'ok' } : { status: 'down', detail: 'JWT_SECRET secret is not set' },
    };
    const required = ['d1', 'r2', 'auth'];
    const down = required.filter((name) => components[name]?.status !== 'ok');
    const degraded = Object.entries(components).filter(([, v]) => v.status !== 'ok').map(([k]) => k);
    const status: 'ok' | 'degraded' | 'down' = down.length > 0 ? 'down' : degraded.length > 0 ? 'degraded' : 'ok';
    return c.json({ status, environment: config.environment, components, degraded }, down.length > 0 ? 503 : 200);
  },
);

healthRoutes.openapi(
  createRoute({
    method: 'get', path: '/health/ready', tags: ['Operations'], summary: 'Ready to serve: D1 reachable and migrated',
    responses: { 200: jsonResponse(z.object({ status: z.literal('ready') }), 'Ready'), 503: jsonResponse(z.object({ status: z.literal('not-ready'), detail: z.string() }), 'Not ready') },
  }),
  async (c) => {
    const check = await timed(() => c.get('db').run(sql`select count(*) from users limit 1`));
    if (check.status !== 'ok') return c.json({ status: 'not-ready' as const, detail: check.detail ?? 'D1 unavailable' }, 503);
    return c.json({ status: 'ready' as const }, 200);
  },
);

healthRoutes.openapi(
  createRoute({
    method: 'get', path: '/health/live', tags: ['Operations'], summary: 'The Worker is running',
    responses: { 200: jsonResponse(z.object({ status: z.literal('live') }), 'Live') },
  }),
  (c) => c.json({ status: 'live' as const }, 200),
);
