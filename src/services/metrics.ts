/**
 * `/metrics` for a Prometheus scraper, behind `METRICS_TOKEN`: the platform's
 * state read from D1 at scrape time (accounts, campaigns, tables by status,
 * rulebooks and ingestion, search volume and zero-result rate, maintenance).
 * Per-request counters and latencies are written to Workers Analytics Engine
 * (`ops/analytics.ts`), where they are summed across every isolate; an
 * isolate's own counters would mislead a scraper that reaches a different
 * isolate each time.
 */
import { count, desc, eq, gte, sql } from 'drizzle-orm';
import { auditEvents, campaigns, gameSessions, rulebooks, searchQueries, users } from '../db/schema';
import { ProblemError } from '../lib/problem';
import { exposition, type MetricFamily } from '../ops/exposition';
import type { Scope } from './scope';

/** Constant-time comparison of the presented token with the configured one. */
function tokenMatches(presented: string, expected: string): boolean {
  const a = new TextEncoder().encode(presented);
  const b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export async function platformMetrics(scope: Scope, presentedToken: string | null): Promise<string> {
  const expected = scope.env.METRICS_TOKEN;
  if (!expected) throw new ProblemError(404, 'Metrics are off: set the METRICS_TOKEN secret to turn them on');
  if (!presentedToken || !tokenMatches(presentedToken, expected)) throw new ProblemError(401, 'Send "Authorization: Bearer <METRICS_TOKEN>"', {}, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
  const { db } = scope;
  const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
  const [userCount, campaignRows, sessionRows, bookRows, searches, lastRun] = await Promise.all([
    db.select({ n: count() }).from(users).get(),
    db.select({ status: campaigns.status, n: count() }).from(campaigns).groupBy(campaigns.status),
    db.select({ status: gameSessions.status, n: count() }).from(gameSessions).groupBy(gameSessions.status),
    db.select({ status: rulebooks.status, n: count(), pages: sql<number>`coalesce(sum(${rulebooks.pagesDone}), 0)` }).from(rulebooks).groupBy(rulebooks.status),
    db.select({ n: count(), zero: sql<number>`coalesce(sum(case when ${searchQueries.resultCount} = 0 then 1 else 0 end), 0)` }).from(searchQueries).where(gte(searchQueries.at, dayAgo)).get(),
    db.select({ at: auditEvents.at, detail: auditEvents.detail }).from(auditEvents).where(eq(auditEvents.type, 'maintenance.run')).orderBy(desc(auditEvents.at)).limit(1).get(),
  ]);
  const byStatus = (rows: { status: string; n: number }[], all: string[]) => all.map((status) => ({ labels: { status }, value: rows.find((r) => r.status === status)?.n ?? 0 }));
  const families: MetricFamily[] = [
    { name: 'lorekeeper_users', help: 'Accounts', type: 'gauge', samples: [{ value: userCount?.n ?? 0 }] },
    { name: 'lorekeeper_campaigns', help: 'Campaigns by status', type: 'gauge', samples: byStatus(campaignRows, ['active', 'archived']) },
    { name: 'lorekeeper_sessions', help: 'Game sessions by status (live = tables running)', type: 'gauge', samples: byStatus(sessionRows, ['scheduled', 'live', 'ended']) },
    { name: 'lorekeeper_rulebooks', help: 'Rulebooks by ingestion status', type: 'gauge', samples: byStatus(bookRows, ['uploaded', 'processing', 'ready', 'failed']) },
    { name: 'lorekeeper_rulebook_pages_indexed', help: 'Pages of ready rulebooks', type: 'gauge', samples: [{ value: bookRows.find((b) => b.status === 'ready')?.pages ?? 0 }] },
    { name: 'lorekeeper_rules_searches_24h', help: 'Rules searches in the last 24 hours', type: 'gauge', samples: [{ value: searches?.n ?? 0 }] },
    { name: 'lorekeeper_rules_zero_result_ratio_24h', help: 'Share of rules searches without a hit in the last 24 hours', type: 'gauge', samples: [{ value: searches?.n ? (searches.zero ?? 0) / searches.n : 0 }] },
  ];
  if (lastRun) {
    const report = (lastRun.detail ?? {}) as { failed?: unknown[] };
    families.push(
      { name: 'lorekeeper_maintenance_last_run_timestamp_seconds', help: 'When the nightly maintenance last ran', type: 'gauge', samples: [{ value: Math.floor(Date.parse(lastRun.at) / 1000) }] },
      { name: 'lorekeeper_maintenance_last_run_failed_steps', help: 'Steps of the last maintenance run that failed', type: 'gauge', samples: [{ value: Array.isArray(report.failed) ? report.failed.length : 0 }] },
    );
  }
  return exposition(families);
}
