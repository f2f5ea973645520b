/**
 * Refuses request bodies above the configured size (MAX_BODY_BYTES) with a 413 problem,
 * before any handler reads them. Only the routes named in `streamed` are exempt, and only
 * for their exact media type: they stream to storage under their own cap (a PDF upload
 * enforces MAX_UPLOAD_BYTES while streaming).
 *
 * @example
 * app.use('/api/*', limitBody([{ method: 'POST', path: /^\/api\/campaigns\/[^/]+\/rulebooks$/, mediaType: 'application/pdf' }]));
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env';
import { mediaType } from '../media-type';
import { ProblemError } from '../../lib/problem';

export interface StreamedRoute {
  method: string;
  path: RegExp;
  mediaType: string;
}

export function limitBody(streamed: StreamedRoute[] = []): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const type = mediaType(c.req.header('content-type'));
    if (streamed.some((r) => r.method === c.req.method && r.mediaType === type && r.path.test(c.req.path))) return next();
    const maxSize = c.get('config').maxBodyBytes;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw new ProblemError(413, `The request body is larger than ${maxSize} bytes`);
      },
    })(c, next);
  };
}
