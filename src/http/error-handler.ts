/**
 * The single error boundary of the API: every thrown error becomes an RFC 9457
 * problem. Unknown errors are reported to Sentry, logged with the request id
 * and answered 500 without internals.
 */
import { captureException } from '@sentry/cloudflare';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './app-env';
import { logger } from '../lib/logger';
import { problem, ProblemError, problemResponse } from '../lib/problem';

function withRequest(c: Context<AppEnv>, p: ReturnType<typeof problem>) {
  return { ...p, instance: new URL(c.req.url).pathname, requestId: c.get('requestId') };
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof ProblemError) {
    return problemResponse(withRequest(c, err.problem), err.headers);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const detail = status === 413 ? 'The request body is larger than allowed' : err.message || 'Request failed';
    return problemResponse(withRequest(c, problem(status, detail)));
  }
  // Hono catches the error before the Sentry wrapper could see it: report it here (a no-op without a DSN).
  captureException(err, { tags: { requestId: c.get('requestId') } });
  logger.error('unhandled error', {
    requestId: c.get('requestId'),
    path: new URL(c.req.url).pathname,
    error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
  });
  return problemResponse(withRequest(c, problem(500, 'Something went wrong on our side; the request id identifies it in the logs')));
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse(withRequest(c, problem(404, `No route for ${c.req.method} ${new URL(c.req.url).pathname}`)));
