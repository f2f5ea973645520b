/** Small WebCrypto helpers shared by passwords, tokens and API keys. Only lib/bytes imported: also used by scripts/. */
import { toBase64Url, toHex } from '../lib/bytes';

export { fromBase64Url, toBase64Url } from '../lib/bytes';

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** A random, URL-safe secret with a readable prefix, e.g. `lk_…` for API keys. */
export function randomToken(prefix: string, bytes = 32): string {
  return prefix + toBase64Url(randomBytes(bytes));
}

/** Hex SHA-256, used to store high-entropy secrets (refresh tokens, API keys) without keeping them. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return toHex(digest);
}

/** Compares without an early exit, so timing does not reveal how many leading bytes matched. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
