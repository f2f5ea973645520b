/** Worker entry: the HTTP app and the Durable Object classes wrangler.toml binds. */
import { createApp } from './app';
import type { IngestMessage } from './rules/ingest';
import { consumeIngestBatch } from './rules/ingest-consumer';

export { RateLimiter } from './ops/rate-limit/rate-limiter-object';
export { GameSession } from './objects/game-session';

const app = createApp();

export default {
  fetch: app.fetch,
  /** Rulebook ingestion, off the request path (in production the workers/ingest Worker consumes instead). */
  queue: (batch, env) => consumeIngestBatch(batch as MessageBatch<IngestMessage>, env),
} satisfies ExportedHandler<Env>;
