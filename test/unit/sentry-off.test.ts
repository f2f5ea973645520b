/**
 * Without SENTRY_DSN nothing is sent. Its own file: Sentry keeps the first
 * client set up in an isolate (as a Worker does, where the DSN never changes
 * between requests), so this cannot follow a test that set one up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callThrowingWorker, startFakeIngest, type FakeIngest } from '../support/sentry';

let ingest: FakeIngest;
beforeAll(async () => { ingest = await startFakeIngest(); });
afterAll(() => ingest.close());

describe('Sentry without a DSN', () => {
  it('answers the 500 problem and sends nothing', async () => {
    expect((await callThrowingWorker({ ENVIRONMENT: 'test' })).status).toBe(500);
    await new Promise((r) => setTimeout(r, 200));
    expect(ingest.envelopes).toEqual([]);
  });
});
