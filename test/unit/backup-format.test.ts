/** The pure parts of backups: retention, row lines, restore order, sealing. */
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { openBytes, sealBytes } from '../../src/ops/backup/archive';
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
  it('opens only with the identity of the recipient it was sealed to', async () => {
    const identity = await generateX25519Identity();
    const sealed = await sealBytes(new TextEncoder().encode('{"a":1}\n'), await identityToRecipient(identity));
    expect(new TextDecoder().decode(await openBytes(sealed, identity))).toBe('{"a":1}\n');
    await expect(openBytes(sealed, await generateX25519Identity())).rejects.toThrow(/no identity matched/);
    const cut = sealed.slice(0, sealed.length - 1);
    await expect(openBytes(cut, identity)).rejects.toThrow();
  });
});
