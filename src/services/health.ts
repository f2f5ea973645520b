/**
 * Platform health: each component with its latency (D1, R2), the optional
 * production bindings (Workers AI, Vectorize) as present or absent, and
 * whether sign-in is configured. No caller needed.
 */
import { sql } from 'drizzle-orm';
import { selectProvider } from '../ai/select';
import type { AiBinding } from '../ai/workers-ai';
import type { Scope } from './scope';

export interface Component {
  status: 'ok' | 'down' | 'absent';
  latencyMs?: number;
  detail?: string;
}

async function timed(check: () => Promise<unknown>): Promise<Component> {
  const started = performance.now();
  try {
    await check();
    return { status: 'ok', latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (err) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), detail: err instanceof Error ? err.message : String(err) };
  }
}

const REQUIRED = ['d1', 'r2', 'auth'];

export async function platformHealth(scope: Scope) {
  const [d1, r2] = await Promise.all([
    timed(() => scope.db.run(sql`select 1`)),
    timed(() => scope.env.FILES.head('health/probe')),
  ]);
  const components: Record<string, Component> = {
    d1,
    r2,
    ai: scope.env.AI ? { status: 'ok', detail: 'Workers AI bound' } : { status: 'absent', detail: 'Workers AI not bound: the narrator uses the configured OpenAI-compatible endpoint or the scripted narrator' },
    vectorize: scope.env.VECTORIZE ? { status: 'ok', detail: 'Vectorize bound' } : { status: 'absent', detail: 'Vectorize not bound: rules search is lexical (FTS5) only' },
    auth: scope.config.jwtSecret ? { status: 'ok' } : { status: 'down', detail: 'JWT_SECRET secret is not set' },
    narrator: narratorComponent(scope),
  };
  const down = REQUIRED.filter((name) => components[name]?.status !== 'ok');
  const degraded = Object.entries(components).filter(([, v]) => v.status !== 'ok').map(([k]) => k);
  const status: 'ok' | 'degraded' | 'down' = down.length > 0 ? 'down' : degraded.length > 0 ? 'degraded' : 'ok';
  return { status, environment: scope.config.environment, components, degraded };
}

/** Which narrator speaks; the scripted one is not an outage, but it is said plainly. */
function narratorComponent(scope: Scope): Component {
  const provider = selectProvider({ AI: scope.env.AI as AiBinding | undefined }, scope.config);
  return provider.kind === 'scripted'
    ? { status: 'absent', detail: `${provider.label}: set NARRATOR_BASE_URL (an OpenAI-compatible endpoint) or bind Workers AI` }
    : { status: 'ok', detail: provider.label };
}

/** Ready to serve: D1 reachable and migrated. */
export async function readiness(scope: Scope): Promise<{ ready: true } | { ready: false; detail: string }> {
  const check = await timed(() => scope.db.run(sql`select count(*) from users limit 1`));
  return check.status === 'ok' ? { ready: true } : { ready: false, detail: check.detail ?? 'D1 unavailable' };
}
