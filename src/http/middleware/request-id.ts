/**
 * Gives every request an id for logs and problems, echoed in `X-Request-Id`.
 *
 * A client may send its own `X-Request-Id` (to trace a call end to end); it is
 * adopted only when it has a strict, log-safe form (8–64 letters, digits,
 * `.`, `_`, `:`, `-`). Our own id is made for every request regardless and is
 * always logged (`serverRequestId`), so a client cannot hide or merge its
 * requests in our logs.
 *
 * @example
 * app.use('*', assignRequestId());
 * c.get('requestId'); // 'trace-123' or '5f0c…'
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$/;

/** The request's ids: the client's when well-formed (else ours), and always ours. */
export function requestIds(header: string | null | undefined): { requestId: string; serverRequestId: string } {
  const serverRequestId = crypto.randomUUID();
  return { requestId: header && CLIENT_REQUEST_ID.test(header) ? header : serverRequestId, serverRequestId };
}

export function assignRequestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { requestId, serverRequestId } = requestIds(c.req.header('x-request-id'));
    c.set('requestId', requestId);
    c.set('serverRequestId', serverRequestId);
    c.header('X-Request-Id', requestId);
    await next();
  };
}
