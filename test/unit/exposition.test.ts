/** The Prometheus text format we write, read back by a real parser. */
import parse from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { exposition } from '../../src/ops/exposition';

describe('Prometheus exposition', () => {
  it('writes families a Prometheus parser reads back, labels escaped', () => {
    const text = exposition([
      { name: 'lorekeeper_users', help: 'Accounts', type: 'gauge', samples: [{ value: 3 }] },
      { name: 'lorekeeper_sessions', help: 'Sessions by status\nwith a newline', type: 'gauge', samples: [{ labels: { status: 'live' }, value: 2 }, { labels: { status: 'a "quoted"\\ value' }, value: 0.25 }] },
    ]);
    const families = parse(text) as { name: string; type: string; help: string; metrics: { value: string; labels?: Record<string, string> }[] }[];
    expect(families.map((f) => [f.name, f.type])).toEqual([['lorekeeper_users', 'GAUGE'], ['lorekeeper_sessions', 'GAUGE']]);
    expect(families[0]!.metrics[0]!.value).toBe('3');
    expect(families[1]!.metrics.map((m) => m.labels?.status)).toEqual(['live', 'a "quoted"\\ value']);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('refuses a name Prometheus would not accept', () => {
    expect(() => exposition([{ name: 'bad-name', help: '', type: 'gauge', samples: [] }])).toThrow();
  });
});
