/**
 * The security headers of every response the Worker makes: one list, applied
 * by `securityHeaders()` to routed responses and by `withSecurityHeaders()` to
 * responses built outside the middleware chain (refused WebSocket upgrades).
 * Static assets get the same from `public/_headers`.
 *
 * @example
 * app.use('*', securityHeaders());
 * return withSecurityHeaders(problemResponse(problem(401, 'No ticket')));
 */
import type { MiddlewareHandler } from 'hono';

/** No inline scripts anywhere; styles may be inline (Swagger UI needs it). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "media-src 'self' blob:", "connect-src 'self'",
  "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
};

/** Sets the security headers on a response whose headers can be changed; returns it. */
export function withSecurityHeaders(response: Response): Response {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  };
}
