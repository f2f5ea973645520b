import { describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../src/lib/bytes';
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
});
