/**
 * Signed, expiring links to a rulebook's PDF, so a browser can open the cited
 * page in a new tab (which cannot carry an Authorization header).
 */
import { constantTimeEqual, toBase64Url } from '../auth/encoding';

const LINK_TTL_SECONDS = 3600;

async function hmac(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message))));
}

/** `/api/files/rulebooks/{id}?exp=…&sig=…` (citations append `#page=N`, see fileLinks) */
export async function signedFileUrl(secret: string, rulebookId: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  const exp = nowSeconds + LINK_TTL_SECONDS;
  const sig = await hmac(secret, `rulebook:${rulebookId}:${exp}`);
  return `/api/files/rulebooks/${rulebookId}?exp=${exp}&sig=${sig}`;
}

/**
 * Link makers for many citations at once: the signature depends only on the book and the
 * expiry, so each book is signed once however many of its pages are cited.
 */
export async function fileLinks(secret: string, rulebookIds: Iterable<string>): Promise<(rulebookId: string, page: number) => string> {
  const ids = [...new Set(rulebookIds)];
  const bases = new Map(await Promise.all(ids.map(async (id) => [id, await signedFileUrl(secret, id)] as const)));
  return (rulebookId, page) => `${bases.get(rulebookId)}#page=${page}`;
}

export async function verifyFileSignature(secret: string, rulebookId: string, exp: number, sig: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<boolean> {
  if (!Number.isInteger(exp) || exp < nowSeconds) return false;
  const expected = await hmac(secret, `rulebook:${rulebookId}:${exp}`);
  const enc = new TextEncoder();
  return constantTimeEqual(enc.encode(expected), enc.encode(sig));
}
