import { describe, expect, it, vi } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../src/lib/bytes';
import { newEventId } from '../../src/session/event-id';

describe('newEventId', () => {
  it('gives 96 random bits as 16 base64url characters, never the same twice', () => {
    // Several refills of the pool (64 ids each).
    const ids = Array.from({ length: 1000 }, () => newEventId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(fromBase64Url(ids[0]!)).toHaveLength(12);
  });

  it('uses the whole alphabet, evenly', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) for (const c of newEventId()) counts.set(c, (counts.get(c) ?? 0) + 1);
    // 64,000 characters over 64 symbols: ~1,000 each.
    expect(counts.size).toBe(64);
    for (const n of counts.values()) expect(n).toBeGreaterThan(800);
  });

  it('encodes the pool\'s bytes as base64url does, twelve at a time', () => {
    const bytes = Uint8Array.from({ length: 12 * 64 }, (_, i) => (i * 37 + 11) & 255);
    const spy = vi.spyOn(crypto, 'getRandomValues').mockImplementation(((array: Uint8Array) => {
      array.set(bytes);
      return array;
    }) as typeof crypto.getRandomValues);
    try {
      // Use up what is left of the pool, so the next id starts a fresh one from these bytes.
      let id = newEventId();
      while (!spy.mock.calls.length) id = newEventId();
      expect(id).toBe(toBase64Url(bytes.subarray(0, 12)));
      expect(newEventId()).toBe(toBase64Url(bytes.subarray(12, 24)));
    } finally {
      spy.mockRestore();
    }
  });
});
