/**
 * The Prometheus text exposition format (version 0.0.4): metric families
 * with HELP and TYPE lines, label values escaped. Pure, so it is tested
 * against a real parser.
 *
 * @example
 * exposition([{ name: 'lorekeeper_users', help: 'Accounts', type: 'gauge', samples: [{ value: 3 }] }]);
 */
export interface Sample { labels?: Record<string, string>; value: number }
export interface MetricFamily { name: string; help: string; type: 'gauge' | 'counter'; samples: Sample[] }

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
      lines.push(labels.length ? `${f.name}{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}} ${value}` : `${f.name} ${value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
