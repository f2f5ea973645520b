/**
 * Refuses request bodies above the configured size (MAX_BODY_BYTES) with a 413 problem,
 * before any handler reads them. PDF uploads are exempt: they are streamed, not buffered.
 *
 * @example
 * app.use('/api/*', limitBody());
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env';
import { ProblemError } from '../problem';

export function limitBody(): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    // PDF uploads stream to R2 under their own, larger cap (MAX_UPLOAD_BYTES, enforced while streaming).
    if (c.req.header('content-type')?.startsWith('application/pdf')) return next();
    const maxSize = c.get('config').maxBodyBytes;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new ProblemError(413, `The request body is larger than ${maxSize} bytes`);
      },
    })(c, next);
  };
}
