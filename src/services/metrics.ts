/**
 * `/metrics` for a Prometheus scraper, behind `METRICS_TOKEN`: the platform's
 * state read from D1 at scrape time (accounts, campaigns, tables by status,
 * rulebooks and ingestion, search volume and zero-result rate, maintenance).
 * Per-request counters and latencies are written to Workers Analytics Engine
 * (`ops/analytics.ts`), where they are summed across every isolate; an
 * isolate's own counters would mislead a scraper that reaches a different
 * isolate each time.
 */
import { constantTimeEqual } from '../auth/encoding';
import { ProblemError } from '../lib/problem';
import { exposition, type MetricFamily } from '../ops/exposition';
import { platformState } from './platform-state';
import type { Scope } from './scope';

export async function platformMetrics(scope: Scope, presentedToken: string | null): Promise<string> {
  const expected = scope.env.METRICS_TOKEN;
  if (!expected) throw new ProblemError(404, 'Metrics are off: set the METRICS_TOKEN secret to turn them on');
  if (!presentedToken || !constantTimeEqual(new TextEncoder().encode(presentedToken), new TextEncoder().encode(expected))) throw new ProblemError(401, 'Send "Authorization: Bearer <METRICS_TOKEN>"', {}, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
  const state = await platformState(scope);
  const byStatus = (rows: { status: string; n: number }[], all: string[]) => all.map((status) => ({ labels: { status }, value: rows.find((r) => r.status === status)?.n ?? 0 }));
  const families: MetricFamily[] = [
    { name: 'lorekeeper_users', help: 'Accounts', type: 'gauge', samples: [{ value: state.users }] },
    { name: 'lorekeeper_campaigns', help: 'Campaigns by status', type: 'gauge', samples: byStatus(state.campaigns, ['active', 'archived']) },
    { name: 'lorekeeper_sessions', help: 'Game sessions by status (live = tables running)', type: 'gauge', samples: byStatus(state.sessions, ['scheduled', 'live', 'ended']) },
    { name: 'lorekeeper_rulebooks', help: 'Rulebooks by ingestion status', type: 'gauge', samples: byStatus(state.rulebooks, ['uploaded', 'processing', 'ready', 'failed']) },
    { name: 'lorekeeper_rulebook_pages_indexed', help: 'Pages of ready rulebooks', type: 'gauge', samples: [{ value: state.rulebooks.find((b) => b.status === 'ready')?.pages ?? 0 }] },
    { name: 'lorekeeper_rules_searches_24h', help: 'Rules searches in the last 24 hours', type: 'gauge', samples: [{ value: state.searches24h.count }] },
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
  return exposition(families);
}
