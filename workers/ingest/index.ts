/**
 * lorekeeper-ingest: the rulebook ingestion Worker deployed beside the API
 * Worker in production. It only consumes the ingestion queue; everything it
 * does is src/rules/ingest.ts. (Locally, the API Worker consumes the queue
 * itself so `npm run dev` stays one process.)
 */
import { reportedWorker } from '../../src/ops/sentry';
import type { IngestMessage } from '../../src/rules/ingest';
import { consumeIngestBatch } from '../../src/rules/ingest-consumer';

export default reportedWorker({
  queue: (batch, env) => consumeIngestBatch(batch as MessageBatch<IngestMessage>, env),
} satisfies ExportedHandler<Env>);
