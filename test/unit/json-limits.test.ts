import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceedsDepth, findIllFormedString, jsonTextDepth } from '../../src/lib/json-limits';

const depthOf = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);

describe('json limits', () => {
  it('measures text depth like the parsed value, ignoring brackets in strings', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
      const text = JSON.stringify(value);
      expect(jsonTextDepth(text)).toBe(depthOf(JSON.parse(text)));
      expect(exceedsDepth(JSON.parse(text), depthOf(value))).toBe(false);
      if (depthOf(value) > 0) expect(exceedsDepth(JSON.parse(text), depthOf(value) - 1)).toBe(true);
    }), { seed: 7, numRuns: 300 });
    expect(jsonTextDepth('{"a":"[[[[\\"]]]"}')).toBe(1);
  });

  it('walks values nested far deeper than the call stack allows', () => {
    const deep = JSON.parse('['.repeat(100_000) + '"\\ud800"' + ']'.repeat(100_000));
    expect(jsonTextDepth('['.repeat(100_000))).toBe(100_000);
    expect(exceedsDepth(deep, 32)).toBe(true);
    expect(findIllFormedString(deep)?.length).toBe(100_000);
  });

  it('finds lone surrogates in values and keys, with their path', () => {
    expect(findIllFormedString({ a: ['ok', 'bad \ud800'] })).toEqual(['a', 1]);
    expect(findIllFormedString({ ['\udc00']: 1 })).toEqual(['\udc00']);
    expect(findIllFormedString({ a: '😀 fine' })).toBeNull();
  });
});
