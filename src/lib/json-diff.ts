/**
 * Structural diff of two JSON values: the list of paths that were added,
 * removed or changed. Used to show what a revision changed.
 *
 * @example
 * jsonDiff({ hp: { current: 8 } }, { hp: { current: 3 } });
 * // [{ path: 'hp.current', op: 'change', before: 8, after: 3 }]
 */
export interface DiffEntry {
  path: string;
  op: 'add' | 'remove' | 'change';
  before?: unknown;
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function jsonDiff(before: unknown, after: unknown, path = ''): DiffEntry[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const child = path ? `${path}.${key}` : key;
      if (!(key in after)) return [{ path: child, op: 'remove' as const, before: before[key] }];
      if (!(key in before)) return [{ path: child, op: 'add' as const, after: after[key] }];
      return jsonDiff(before[key], after[key], child);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    const entries: DiffEntry[] = [];
    for (let i = 0; i < length; i++) {
      const child = `${path}[${i}]`;
      if (i >= after.length) entries.push({ path: child, op: 'remove', before: before[i] });
      else if (i >= before.length) entries.push({ path: child, op: 'add', after: after[i] });
      else entries.push(...jsonDiff(before[i], after[i], child));
    }
    return entries;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || '$', op: 'change', before, after }];
}
