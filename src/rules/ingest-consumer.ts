/**
 * The Queue consumer of rulebook ingestion: one step per message, retried
 * with backoff when a step throws (the step itself decides what is fatal).
 * Mounted by the API Worker in local development and by workers/ingest in
 * production.
 */
import { runIngestStep, type IngestMessage } from './ingest';

export async function consumeIngestBatch(batch: MessageBatch<IngestMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      await runIngestStep(env, message.body, message.attempts);
      message.ack();
    } catch {
      message.retry({ delaySeconds: Math.min(60, 5 * message.attempts) });
    }
  }
}
