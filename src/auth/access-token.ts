/**
 * Short-lived access tokens: HS256 JWTs signed with JWT_SECRET, carrying the
 * user id (`sub`) and the sign-in they belong to (`sid`) so logout and
 * refresh-token reuse revoke them at once.
 *
 * Signed and verified with WebCrypto HMAC directly (a few lines): identity
 * stays free of any web framework, so MCP, Durable Objects and scripts use it
 * the same way. Only HS256 is accepted; the header's `alg` is never trusted.
 */
import { fromBase64Url, toBase64Url } from './encoding';

const ISSUER = 'lorekeeper';
const HEADER = toBase64Url(new TextEncoder().encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));

export interface AccessClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

const hmacKey = (secret: string) =>
  crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);

export async function signAccessToken(userId: string, signInId: string, secret: string, ttlSeconds: number, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  const claims = { sub: userId, sid: signInId, iss: ISSUER, typ: 'access', iat: nowSeconds, exp: nowSeconds + ttlSeconds };
  const body = `${HEADER}.${toBase64Url(new TextEncoder().encode(JSON.stringify(claims)))}`;
  const signature = await crypto.subtle.sign('HMAC', await hmacKey(secret), new TextEncoder().encode(body));
  return `${body}.${toBase64Url(new Uint8Array(signature))}`;
}

/** Returns the claims, or null for a token that is malformed, tampered, expired or signed with another key. */
export async function verifyAccessToken(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<AccessClaims | null> {
  try {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature || token.split('.').length !== 3) return null;
    if (JSON.parse(new TextDecoder().decode(fromBase64Url(header))).alg !== 'HS256') return null;
    const valid = await crypto.subtle.verify('HMAC', await hmacKey(secret), fromBase64Url(signature), new TextEncoder().encode(`${header}.${payload}`));
    if (!valid) return null;
    const claims = JSON.parse(new TextDecoder().decode(fromBase64Url(payload)));
    if (claims.iss !== ISSUER || claims.typ !== 'access' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return null;
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return null;
    return claims as AccessClaims;
  } catch {
    return null;
  }
}
