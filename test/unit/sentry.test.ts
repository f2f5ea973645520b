/**
 * Error reporting end to end with the real SDK: an unknown error reaches the
 * one error boundary, the caller gets a 500 problem, and the report reaches a
 * local fake Sentry ingest endpoint scrubbed of emails, API keys, tokens and
 * credentials. (Without a DSN: sentry-off.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportedDurableObject, scrubEvent, scrubText } from '../../src/ops/sentry';
import { callThrowingWorker, startFakeIngest, waitFor, type FakeIngest } from '../support/sentry';

let ingest: FakeIngest;
beforeAll(async () => { ingest = await startFakeIngest(); });
afterAll(() => ingest.close());

describe('Sentry', () => {
  it('reports an unknown error from the error boundary, scrubbed, to the ingest endpoint', async () => {
    const res = await callThrowingWorker({ SENTRY_DSN: ingest.dsn, ENVIRONMENT: 'test' });
    expect(res.status).toBe(500);
    await waitFor(() => ingest.envelopes.length > 0);
    const sent = ingest.envelopes.join('\n');
    expect(sent).toContain('the table broke for [email] using [api-key]');
    expect(sent).toContain('"environment":"test"');
    for (const secret of ['alice@example.com', 'lk_0123456789', 'eyJhbGciOi', 'secret-ticket', 'session=1']) expect(sent).not.toContain(secret);
  });

  it('wraps a Durable Object only where a DSN is set: without one the bare class answers (no client and span per message)', async () => {
    class Room {
      constructor(readonly ctx: DurableObjectState, readonly env: Env) {}
      webSocketMessage() { return 'handled'; }
    }
    const Reported = reportedDurableObject(Room);
    const ctx = { storage: {}, waitUntil() {}, id: { toString: () => 'room' } } as unknown as DurableObjectState;
    const bare = new Reported(ctx, { ENVIRONMENT: 'test' } as unknown as Env);
    expect(bare).toBeInstanceOf(Room);
    expect(bare.webSocketMessage).toBe(Room.prototype.webSocketMessage);
    const reported = new Reported(ctx, { SENTRY_DSN: ingest.dsn, ENVIRONMENT: 'test' } as unknown as Env);
    expect(reported.webSocketMessage).not.toBe(Room.prototype.webSocketMessage);
    expect(await reported.webSocketMessage()).toBe('handled');
  });

  it('scrubs text, request data, users and extra data', () => {
    expect(scrubText('mail bob@example.org, key lk_abcdefghijklmnopqrstuvwxyz012345, Bearer abc.def, /ws?ticket=t1&x=1')).toBe('mail [email], key [api-key], Bearer [token], /ws?ticket=[redacted]&x=1');
    const event = scrubEvent({
      type: undefined, message: 'for carol@example.com', user: { id: 'u1', email: 'carol@example.com', ip_address: '203.0.113.9' },
      request: { method: 'POST', url: 'https://x/api?code=SECRET', data: '{"password":"hunter2"}', headers: { authorization: 'Bearer x', 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.9' }, cookies: { a: 'b' } },
      extra: { text: 'my character whispers a secret', count: 3 },
    });
    expect(event.message).toBe('for [email]');
    expect(event.user).toEqual({ id: 'u1' });
    expect(event.request).toEqual({ method: 'POST', url: 'https://x/api?code=[redacted]', query_string: undefined, headers: { 'content-type': 'application/json' } });
    expect(event.extra).toEqual({ text: '[redacted]', count: 3 });
  });
});
