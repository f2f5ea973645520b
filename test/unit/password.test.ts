import { describe, expect, it } from 'vitest';
import { constantTimeEqual, fromBase64Url, toBase64Url } from '../../src/auth/encoding';
import { hashPassword, verifyPassword } from '../../src/auth/password';
import { signAccessToken, verifyAccessToken } from '../../src/auth/access-token';

describe('passwords', () => {
  it('hash with a per-user salt and verify only the right password', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', a)).toBe(false);
  });

  it('reject malformed or unsupported stored hashes instead of throwing', async () => {
    for (const stored of ['', 'plain', 'bcrypt$10$x$y', 'pbkdf2-sha256$0$AA$AA', 'pbkdf2-sha256$999999999$AA$AA']) {
      expect(await verifyPassword('anything long', stored)).toBe(false);
    }
  });

  it('honour the iteration count stored with the hash', async () => {
    const cheap = await hashPassword('legacy password here', 1000);
    expect(cheap.split('$')[1]).toBe('1000');
    expect(await verifyPassword('legacy password here', cheap)).toBe(true);
  });
});

describe('encoding', () => {
  it('round-trips base64url and compares in constant time', () => {
    const bytes = new Uint8Array([0, 255, 62, 63, 128]);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(toBase64Url(bytes)).not.toMatch(/[+/=]/);
    // Every tail length (0, 1 or 2 bytes past a group of three) as the standard encoding writes it.
    for (let length = 0; length <= 40; length++) {
      const random = crypto.getRandomValues(new Uint8Array(length));
      expect(toBase64Url(random)).toBe(Buffer.from(random).toString('base64url'));
      expect(fromBase64Url(toBase64Url(random))).toEqual(random);
    }
    expect(constantTimeEqual(bytes, new Uint8Array(bytes))).toBe(true);
    expect(constantTimeEqual(bytes, new Uint8Array([0, 255, 62, 63]))).toBe(false);
    expect(constantTimeEqual(bytes, new Uint8Array([0, 255, 62, 63, 129]))).toBe(false);
  });
});

describe('access tokens', () => {
  const secret = 'unit-test-secret-of-at-least-32-chars!!';
  it('round-trip and carry user and sign-in ids', async () => {
    const token = await signAccessToken('user-1', 'session-1', secret, 60);
    expect(await verifyAccessToken(token, secret)).toMatchObject({ sub: 'user-1', sid: 'session-1' });
  });
  it('are refused when expired or signed with another secret', async () => {
    const old = await signAccessToken('u', 's', secret, 60, Math.floor(Date.now() / 1000) - 3600);
    expect(await verifyAccessToken(old, secret)).toBeNull();
    const other = await signAccessToken('u', 's', 'another-secret-of-at-least-32-chars!!', 60);
    expect(await verifyAccessToken(other, secret)).toBeNull();
  });
});
