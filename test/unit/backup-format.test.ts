/** The pure parts of backups: retention, row lines, restore order, sealing. */
import { describe, expect, it } from 'vitest';
import { generateKeyPair, isRecipient, open, openBytes, seal, sealBytes } from '../../src/ops/backup/archive';
import { expired } from '../../src/ops/backup/retention';
import { decodeRow, encodeRow } from '../../src/ops/backup/rows';
import { dependencyOrder } from '../../src/ops/backup/tables';

const day = 86_400_000;
const at = (msAgo: number) => new Date(Date.parse('2026-11-24T03:17:00Z') - msAgo).toISOString();

describe('retention', () => {
  it('keeps the newest backup of each of the last 30 days and 12 months, and nothing else', () => {
    // Two a day for 500 days.
    const backups = Array.from({ length: 1000 }, (_, i) => ({ id: `b${i}`, startedAt: at(Math.floor(i / 2) * day + (i % 2) * 3_600_000) }));
    const gone = new Set(expired(backups, { daily: 30, monthly: 12 }));
    const kept = backups.filter((b) => !gone.has(b.id));
    // The newest of each of 30 days (the earlier one of each day goes), plus one per older month up to 12 months.
    expect(kept.filter((b) => b.startedAt >= at(29 * day + 4_000_000))).toHaveLength(30);
    expect(kept.every((b) => Number(b.id.slice(1)) % 2 === 0)).toBe(true);
    expect(new Set(kept.map((b) => b.startedAt.slice(0, 7))).size).toBe(12);
    expect(kept.length).toBeLessThanOrEqual(42);
    expect(gone.size + kept.length).toBe(1000);
  });

  it('keeps everything when there are fewer backups than the counts', () => {
    expect(expired([{ id: 'a', startedAt: at(0) }, { id: 'b', startedAt: at(day) }], { daily: 30, monthly: 12 })).toEqual([]);
  });
});

describe('row lines', () => {
  it('round-trips text, numbers, null, unicode and bytes in column order', () => {
    const row = { id: 'x', n: 3.5, none: null, text: 'é “quoted”\nline 🐉', blob: new Uint8Array([0, 255, 7]).buffer };
    expect(decodeRow(encodeRow(row), ['blob', 'text', 'none', 'n', 'id', 'missing'])).toEqual([new Uint8Array([0, 255, 7]), row.text, null, 3.5, 'x', null]);
  });

  it('refuses a line that is not a flat row', () => {
    expect(() => decodeRow('[1,2]', ['a'])).toThrow(/not an object/);
    expect(() => decodeRow('{"a":{"nested":1}}', ['a'])).toThrow(/cannot store/);
  });
});

describe('restore order', () => {
  it('puts every table after the tables it references', () => {
    const parents = new Map([['memberships', ['users', 'campaigns']], ['campaigns', ['users']], ['characters', ['campaigns', 'users']], ['users', []]]);
    const order = dependencyOrder(['characters', 'memberships', 'campaigns', 'users'], parents);
    expect(order).toEqual(['users', 'campaigns', 'characters', 'memberships']);
  });
});

describe('sealing', () => {
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const big = new TextEncoder().encode(Array.from({ length: 40_000 }, (_, i) => `{"row":${i},"noise":"${Math.random().toString(36)}"}`).join('\n'));

  it('opens only with the identity of the recipient it was sealed to', async () => {
    const { recipient, identity } = await generateKeyPair();
    expect(isRecipient(recipient)).toBe(true);
    expect(isRecipient(identity)).toBe(false);
    for (const plain of [new Uint8Array(0), new TextEncoder().encode('{"a":1}\n'), big]) {
      expect(text(await openBytes(await sealBytes(plain, recipient), identity))).toBe(text(plain));
    }
    const sealed = await sealBytes(big, recipient);
    await expect(openBytes(sealed, (await generateKeyPair()).identity)).rejects.toThrow(/key does not open/);
    await expect(openBytes(sealed, 'AGE-SECRET-KEY-1XYZ')).rejects.toThrow(/Not a backup identity/);
  });

  it('refuses an object that was altered, cut short (also at a chunk boundary), reordered or given another header', async () => {
    const { recipient, identity } = await generateKeyPair();
    const sealed = await sealBytes(big, recipient);
    expect(sealed.length).toBeGreaterThan(56 + 2 * (65536 + 16));
    const header = 56, record = 65536 + 16;
    const flip = (at: number) => { const c = sealed.slice(); c[at]! ^= 1; return c; };
    const cases: [string, Uint8Array][] = [
      ['a flipped bit', flip(sealed.length - 100)],
      ['a changed header', flip(20)],
      ['cut mid-chunk', sealed.slice(0, sealed.length - 10)],
      ['cut at a chunk boundary', sealed.slice(0, header + record)],
      ['the header alone', sealed.slice(0, header)],
      ['two chunks swapped', new Uint8Array([...sealed.slice(0, header), ...sealed.slice(header + record, header + 2 * record), ...sealed.slice(header, header + record), ...sealed.slice(header + 2 * record)])],
    ];
    for (const [what, bytes] of cases) await expect(openBytes(bytes, identity), what).rejects.toThrow();
  });

  it('streams: a sealed stream opens in pieces of any size', async () => {
    const { recipient, identity } = await generateKeyPair();
    const sealed = await sealBytes(big, recipient);
    const dribble = new ReadableStream<Uint8Array>({
      start(controller) { for (let i = 0; i < sealed.length; i += 7777) controller.enqueue(sealed.slice(i, i + 7777)); controller.close(); },
    });
    expect(text(new Uint8Array(await new Response(await open(dribble, identity)).arrayBuffer()))).toBe(text(big));
    expect((await new Response(await seal(new Response(big).body!, recipient)).arrayBuffer()).byteLength).toBeGreaterThan(56);
  });
});
