/**
 * Short-lived access tokens: HS256 JWTs signed with JWT_SECRET, carrying the
 * user id (`sub`) and the sign-in they belong to (`sid`) so logout and
 * refresh-token reuse revoke them at once.
 */
import { sign, verify } from 'hono/jwt';

const ISSUER = 'lorekeeper';

export interface AccessClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

export async function signAccessToken(userId: string, signInId: string, secret: string, ttlSeconds: number, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  return sign({ sub: userId, sid: signInId, iss: ISSUER, typ: 'access', iat: nowSeconds, exp: nowSeconds + ttlSeconds }, secret, 'HS256');
}

/** Returns the claims, or null for a token that is malformed, tampered, expired or signed with another key. */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims | null> {
  try {
    const payload = await verify(token, secret, { alg: 'HS256', iss: ISSUER });
    if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    return payload as unknown as AccessClaims;
  } catch {
    return null;
  }
}
