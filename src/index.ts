/**
 * Worker entry: the HTTP app and the Durable Object classes wrangler.toml
 * binds, each wrapped for error reporting (a no-op without SENTRY_DSN).
 */
import { instrumentDurableObjectWithSentry, withSentry } from '@sentry/cloudflare';
import { createApp } from './app';
import { GameSession as GameSessionObject } from './objects/game-session';
import { RateLimiter as RateLimiterObject } from './ops/rate-limit/rate-limiter-object';
import { sentryOptions } from './ops/sentry';
import type { IngestMessage } from './rules/ingest';
import { consumeIngestBatch } from './rules/ingest-consumer';
import { runMaintenance } from './services/maintenance';
import { systemScope } from './services/scope';

export const GameSession = instrumentDurableObjectWithSentry((env: Env) => sentryOptions(env), GameSessionObject);
export const RateLimiter = instrumentDurableObjectWithSentry((env: Env) => sentryOptions(env), RateLimiterObject);

const app = createApp();

export default withSentry((env: Env) => sentryOptions(env), {
  fetch: app.fetch,
  /** Rulebook ingestion, off the request path (in production the workers/ingest Worker consumes instead). */
  queue: (batch, env) => consumeIngestBatch(batch as MessageBatch<IngestMessage>, env),
  /** Nightly maintenance (wrangler.toml [triggers]): purges, abandoned tables, analytics retention. */
  scheduled: async (controller, env, ctx) => {
    await runMaintenance(systemScope(env, { defer: (work) => ctx.waitUntil(work) }), new Date(controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>);
