import { describe, expect, it } from 'vitest';
import { jsonDiff } from '../../src/lib/json-diff';

describe('jsonDiff', () => {
  it('reports nothing for equal values', () => {
    expect(jsonDiff({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });

  it('reports nested changes, additions and removals with paths', () => {
    const before = { name: 'Tamsin', hp: { current: 8, max: 8 }, inventory: [{ name: 'rope' }, { name: 'torch' }], old: true };
    const after = { name: 'Tamsin', hp: { current: 3, max: 8 }, inventory: [{ name: 'rope' }], added: 'x' };
    expect(jsonDiff(before, after)).toEqual([
      { path: 'added', op: 'add', after: 'x' },
      { path: 'hp.current', op: 'change', before: 8, after: 3 },
      { path: 'inventory[1]', op: 'remove', before: { name: 'torch' } },
      { path: 'old', op: 'remove', before: true },
    ]);
  });

  it('treats a type change as one change at that path', () => {
    expect(jsonDiff({ a: { b: 1 } }, { a: [1] })).toEqual([{ path: 'a', op: 'change', before: { b: 1 }, after: [1] }]);
    expect(jsonDiff(1, 2)).toEqual([{ path: '$', op: 'change', before: 1, after: 2 }]);
  });
});
