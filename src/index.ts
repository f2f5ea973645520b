/**
 * Worker entry: the HTTP app and the Durable Object classes wrangler.toml
 * binds, each wrapped for error reporting where SENTRY_DSN is set.
 */
import { createApp } from './app';
import { GameSession as GameSessionObject } from './objects/game-session';
import { RateLimiter as RateLimiterObject } from './ops/rate-limit/rate-limiter-object';
import { reportedDurableObject, reportedWorker } from './ops/sentry';
import type { IngestMessage } from './rules/ingest';
import { consumeIngestBatch } from './rules/ingest-consumer';
import { type BackupStep, consumeBackupBatch, startBackup } from './services/backups';
import { logger } from './lib/logger';
import { runMaintenance } from './services/maintenance';
import { systemScope } from './services/scope';

export const GameSession = reportedDurableObject(GameSessionObject);
export const RateLimiter = reportedDurableObject(RateLimiterObject);

const app = createApp();

export default reportedWorker({
  fetch: app.fetch,
  /**
   * Backup steps; and rulebook ingestion, off the request path (in production the workers/ingest Worker
   * consumes that queue instead).
   */
  queue: (batch, env) => batch.queue.startsWith('lorekeeper-backup')
    ? consumeBackupBatch(batch as MessageBatch<BackupStep>, systemScope(env, { requestId: 'queue:backup' }))
    : consumeIngestBatch(batch as MessageBatch<IngestMessage>, env),
  /** Nightly (wrangler.toml [triggers]): a backup is started (its steps run on the queue), then maintenance. */
  scheduled: async (controller, env, ctx) => {
    const scope = systemScope(env, { requestId: 'cron', defer: (work) => ctx.waitUntil(work) });
    const at = new Date(controller.scheduledTime);
    // A backup that cannot start (off, or one still running) must not stop maintenance; it is logged and shows in /metrics.
    await startBackup(scope, 'cron', at).catch((err: unknown) => logger.error('backup not started', { error: err instanceof Error ? err.message : String(err) }));
    await runMaintenance(scope, at);
  },
} satisfies ExportedHandler<Env>);
