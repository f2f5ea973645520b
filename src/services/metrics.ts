/**
 * `/metrics` for a Prometheus scraper, behind `METRICS_TOKEN`: the platform's
 * state read from D1 at scrape time (accounts, campaigns, tables by status,
 * rulebooks and ingestion, search volume and zero-result rate, maintenance,
 * backups).
 * Per-request counters and latencies are written to Workers Analytics Engine
 * (`ops/analytics.ts`), where they are summed across every isolate; an
 * isolate's own counters would mislead a scraper that reaches a different
 * isolate each time.
 */
import { constantTimeEqual } from '../auth/encoding';
import { ProblemError } from '../lib/problem';
import { exposition, type MetricFamily } from '../ops/exposition';
import { backupState } from './backups';
import { platformState } from './platform-state';
import type { Scope } from './scope';

export async function platformMetrics(scope: Scope, presentedToken: string | null): Promise<string> {
  const expected = scope.env.METRICS_TOKEN;
  if (!expected) throw new ProblemError(404, 'Metrics are off: set the METRICS_TOKEN secret to turn them on');
  if (!presentedToken || !constantTimeEqual(new TextEncoder().encode(presentedToken), new TextEncoder().encode(expected))) throw new ProblemError(401, 'Send "Authorization: Bearer <METRICS_TOKEN>"', {}, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
  const [state, backups] = await Promise.all([platformState(scope), backupState(scope)]);
  const byStatus = (rows: { status: string; n: number }[], all: string[]) => all.map((status) => ({ labels: { status }, value: rows.find((r) => r.status === status)?.n ?? 0 }));
  const families: MetricFamily[] = [
    { name: 'lorekeeper_users', help: 'Accounts', type: 'gauge', samples: [{ value: state.users }] },
    { name: 'lorekeeper_campaigns', help: 'Campaigns by status', type: 'gauge', samples: byStatus(state.campaigns, ['active', 'archived']) },
    { name: 'lorekeeper_sessions', help: 'Game sessions by status (live = tables running)', type: 'gauge', samples: byStatus(state.sessions, ['scheduled', 'live', 'ended']) },
    { name: 'lorekeeper_rulebooks', help: 'Rulebooks by ingestion status', type: 'gauge', samples: byStatus(state.rulebooks, ['uploaded', 'processing', 'ready', 'failed']) },
    { name: 'lorekeeper_rulebook_pages_indexed', help: 'Pages of ready rulebooks', type: 'gauge', samples: [{ value: state.rulebooks.find((b) => b.status === 'ready')?.pages ?? 0 }] },
    { name: 'lorekeeper_rules_searches_24h', help: 'Rules searches in the last 24 hours', type: 'gauge', samples: [{ value: state.searches24h.count }] },
    { name: 'lorekeeper_table_sockets', help: 'Open WebSockets at live tables (as each room last reported)', type: 'gauge', samples: [{ value: state.sockets }] },
    {
      name: 'lorekeeper_rules_search_duration_seconds_24h', help: 'Rules search latency over the last 24 hours', type: 'histogram',
      samples: [
        ...state.searches24h.durations.buckets.map((b) => ({ suffix: '_bucket' as const, labels: { le: String(b.le / 1000) }, value: b.count })),
        { suffix: '_bucket', labels: { le: '+Inf' }, value: state.searches24h.durations.count },
        { suffix: '_sum', value: state.searches24h.durations.sumMs / 1000 },
        { suffix: '_count', value: state.searches24h.durations.count },
      ],
    },
    { name: 'lorekeeper_rules_zero_result_ratio_24h', help: 'Share of rules searches without a hit in the last 24 hours', type: 'gauge', samples: [{ value: state.searches24h.count ? state.searches24h.zeroResults / state.searches24h.count : 0 }] },
  ];
  const lastRun = state.lastMaintenance;
  if (lastRun) {
    const { report } = lastRun;
    families.push(
      { name: 'lorekeeper_maintenance_last_run_timestamp_seconds', help: 'When the nightly maintenance last ran', type: 'gauge', samples: [{ value: Math.floor(Date.parse(lastRun.at) / 1000) }] },
      { name: 'lorekeeper_maintenance_last_run_failed_steps', help: 'Steps of the last maintenance run that failed', type: 'gauge', samples: [{ value: Array.isArray(report.failed) ? report.failed.length : 0 }] },
    );
  }
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
  families.push({ name: 'lorekeeper_backup_enabled', help: 'Whether backups are configured (BACKUP_RECIPIENT set)', type: 'gauge', samples: [{ value: backups.enabled ? 1 : 0 }] });
  if (backups.lastSuccessful) {
    const done = backups.lastSuccessful;
    families.push(
      { name: 'lorekeeper_backup_last_success_timestamp_seconds', help: 'When the newest successful backup started (alert when older than a day or two)', type: 'gauge', samples: [{ value: seconds(done.startedAt) }] },
      { name: 'lorekeeper_backup_last_success_size_bytes', help: 'Stored size of the newest successful backup', type: 'gauge', samples: [{ value: done.sizeBytes }] },
      { name: 'lorekeeper_backup_last_success_rows', help: 'Rows in the newest successful backup', type: 'gauge', samples: [{ value: done.rows }] },
    );
  }
  if (backups.last) {
    families.push({ name: 'lorekeeper_backup_last_result', help: 'The newest backup run by result (1 for its status)', type: 'gauge', samples: (['running', 'done', 'failed'] as const).map((status) => ({ labels: { status }, value: backups.last!.status === status ? 1 : 0 })) });
  }
  return exposition(families);
}
