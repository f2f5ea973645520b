/**
 * A fake Sentry ingest endpoint and a tiny Worker (a Hono app with the
 * project's error boundary, wrapped as the Worker is, by `reportedWorker`)
 * whose one route throws an error full of personal data.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { onError } from '../../src/http/error-handler';
import { reportedWorker } from '../../src/ops/sentry';

export interface FakeIngest { dsn: string; envelopes: string[]; close(): Promise<void> }

export async function startFakeIngest(): Promise<FakeIngest> {
  const envelopes: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      envelopes.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dsn = `http://publickey@127.0.0.1:${(server.address() as AddressInfo).port}/1`;
  return { dsn, envelopes, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export const LEAKY_ERROR = 'the table broke for alice@example.com using lk_0123456789abcdefghijklmnopqrstuvwxyzABCDEF';

/** Calls the throwing Worker with `env`, waiting for its background work (the report is sent there). */
export async function callThrowingWorker(env: Record<string, string>): Promise<Response> {
  const app = new Hono();
  app.get('/boom', () => {
    throw new Error(LEAKY_ERROR);
  });
  app.onError(onError as never);
  const worker = reportedWorker({ fetch: app.fetch as never });
  const waits: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void waits.push(p), passThroughOnException() {}, props: {} };
  const res = await (worker.fetch as unknown as (r: Request, e: unknown, c: unknown) => Promise<Response>)(
    new Request('https://lorekeeper.test/boom?ticket=secret-ticket', { headers: { authorization: 'Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl', cookie: 'session=1', 'user-agent': 'test' } }), env, ctx);
  await Promise.all(waits);
  return res;
}

export async function waitFor(check: () => boolean, ms = 2000): Promise<void> {
  for (let waited = 0; waited < ms && !check(); waited += 20) await new Promise((r) => setTimeout(r, 20));
}
