/**
 * An R2 object as an HTTP response that honours `Range`: 206 with
 * `Content-Range` for a byte range (PDF viewers and audio players ask for
 * them), 200 with the whole length otherwise. The caller sets the media type
 * and any other headers.
 */
export function rangedResponse(request: Request, object: R2ObjectBody, headers: Headers): Response {
  headers.set('accept-ranges', 'bytes');
  headers.set('etag', object.httpEtag);
  const range = object.range as { offset?: number; length?: number; suffix?: number } | undefined;
  if (request.headers.get('range') && range) {
    const offset = range.suffix !== undefined ? object.size - range.suffix : range.offset ?? 0;
    const length = range.length ?? object.size - offset;
    headers.set('content-range', `bytes ${offset}-${offset + length - 1}/${object.size}`);
    headers.set('content-length', String(length));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set('content-length', String(object.size));
  return new Response(object.body, { status: 200, headers });
}
