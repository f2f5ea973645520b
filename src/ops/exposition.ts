/**
 * The Prometheus text exposition format (version 0.0.4): metric families
 * with HELP and TYPE lines, label values escaped. Pure, so it is tested
 * against a real parser.
 *
 * @example
 * exposition([{ name: 'lorekeeper_users', help: 'Accounts', type: 'gauge', samples: [{ value: 3 }] }]);
 */
/** A histogram's samples carry their series' suffix (`_bucket` with an `le` label, `_sum`, `_count`). */
export interface Sample { labels?: Record<string, string>; value: number; suffix?: '_bucket' | '_sum' | '_count' }
export interface MetricFamily { name: string; help: string; type: 'gauge' | 'counter' | 'histogram'; samples: Sample[] }

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

export function exposition(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(f.name)) throw new Error(`Bad metric name ${f.name}`);
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels ?? {});
      const value = Number.isFinite(s.value) ? String(s.value) : 'NaN';
      const name = f.name + (s.suffix ?? '');
      lines.push(labels.length ? `${name}{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}} ${value}` : `${name} ${value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
