/** Worker entry: the HTTP app and the Durable Object classes wrangler.toml binds. */
import { createApp } from './app';
import { runIngestStep, type IngestMessage } from './rules/ingest';

export { RateLimiter } from './ops/rate-limit/rate-limiter-object';
export { GameSession } from './session/game-session';

const app = createApp();

export default {
  fetch: app.fetch,
  /** Rulebook ingestion, off the request path: one page range per message. */
  async queue(batch, env) {
    for (const message of batch.messages) {
      try {
        await runIngestStep(env, message.body as IngestMessage, message.attempts);
        message.ack();
      } catch {
        message.retry({ delaySeconds: Math.min(60, 5 * message.attempts) });
      }
    }
  },
} satisfies ExportedHandler<Env>;
