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

export const GameSession = instrumentDurableObjectWithSentry((env: Env) => sentryOptions(env), GameSessionObject);
export const RateLimiter = instrumentDurableObjectWithSentry((env: Env) => sentryOptions(env), RateLimiterObject);

const app = createApp();

export default withSentry((env: Env) => sentryOptions(env), {
  fetch: app.fetch,
  /** Rulebook ingestion, off the request path (in production the workers/ingest Worker consumes instead). */
  queue: (batch, env) => consumeIngestBatch(batch as MessageBatch<IngestMessage>, env),
} satisfies ExportedHandler<Env>);
