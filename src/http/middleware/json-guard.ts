/**
 * Refuses JSON bodies nested deeper than MAX_JSON_DEPTH with a 400 problem that
 * names the limit, before the validator parses them or anything walks them.
 * Runs after the body limit, so at most MAX_BODY_BYTES are read; the text is
 * cached by Hono and parsed once by the validator afterwards.
 *
 * @example
 * app.use('/api/*', limitBody(), guardJsonDepth());
 */
import type { MiddlewareHandler } from 'hono';
import { jsonTextDepth, MAX_JSON_DEPTH } from '../../lib/json-limits';
import type { AppEnv } from '../app-env';
import { mediaType } from '../media-type';
import { ProblemError } from '../../lib/problem';

/** The media types the validator parses as JSON (`application/json`, `application/*+json`). */
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/;

export function guardJsonDepth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || !JSON_TYPE.test(mediaType(c.req.header('content-type')))) return next();
    const depth = jsonTextDepth(await c.req.text());
    if (depth > MAX_JSON_DEPTH) {
      throw new ProblemError(400, `The JSON body is nested ${depth} levels deep; at most ${MAX_JSON_DEPTH} are accepted`, { errors: [{ path: 'body', message: `Nested deeper than ${MAX_JSON_DEPTH} levels`, code: 'too_deep' }] });
    }
    await next();
  };
}
