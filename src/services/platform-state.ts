/**
 * The platform's state as D1 holds it — accounts, campaigns, sessions and
 * rulebooks by status, searches of the last day with their latencies, open
 * sockets at live tables, the last maintenance run —
 * read in one round of queries for the operator's status page and /metrics.
 * No authorisation here: each caller checks its own (operator, metrics token).
 */
import { count, desc, eq, gte, type SQL, sql } from 'drizzle-orm';
import { auditEvents, campaigns, gameSessions, rulebooks, searchQueries, users } from '../db/schema';
import type { Scope } from './scope';

/** Upper bounds (ms) of the rules search latency histogram. */
export const SEARCH_BUCKETS_MS = [10, 25, 50, 100, 250, 500, 1000, 2500];

export async function platformState(scope: Scope) {
  const { db } = scope;
  const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
  const [userCount, campaignRows, sessionRows, bookRows, searches, lastRun, sockets, durations] = await Promise.all([
    db.select({ n: count() }).from(users).get(),
    db.select({ status: campaigns.status, n: count() }).from(campaigns).groupBy(campaigns.status),
    db.select({ status: gameSessions.status, n: count() }).from(gameSessions).groupBy(gameSessions.status),
    db.select({
      status: rulebooks.status, n: count(), pages: sql<number>`coalesce(sum(${rulebooks.pagesDone}), 0)`,
      remaining: sql<number>`coalesce(sum(max(coalesce(${rulebooks.pagesTotal}, 0) - ${rulebooks.pagesDone}, 0)), 0)`,
    }).from(rulebooks).groupBy(rulebooks.status),
    db.select({ n: count(), zero: sql<number>`coalesce(sum(case when ${searchQueries.resultCount} = 0 then 1 else 0 end), 0)` }).from(searchQueries).where(gte(searchQueries.at, dayAgo)).get(),
    db.select({ at: auditEvents.at, detail: auditEvents.detail }).from(auditEvents).where(eq(auditEvents.type, 'maintenance.run')).orderBy(desc(auditEvents.at)).limit(1).get(),
    db.select({ n: sql<number>`coalesce(sum(${gameSessions.connections}), 0)` }).from(gameSessions).where(eq(gameSessions.status, 'live')).get(),
    // Search durations of the last day, counted into the histogram's buckets by SQL (no rows leave D1).
    db.select(Object.fromEntries([
      ...SEARCH_BUCKETS_MS.map((le) => [`le${le}`, sql<number>`coalesce(sum(case when ${searchQueries.durationMs} <= ${sql.raw(String(le))} then 1 else 0 end), 0)`]),
      ['count', sql<number>`count(${searchQueries.durationMs})`], ['sum', sql<number>`coalesce(sum(${searchQueries.durationMs}), 0)`],
    ]) as Record<string, SQL<number>>).from(searchQueries).where(gte(searchQueries.at, dayAgo)).get(),
  ]);
  return {
    users: userCount?.n ?? 0,
    campaigns: campaignRows,
    sessions: sessionRows,
    rulebooks: bookRows,
    searches24h: {
      count: searches?.n ?? 0, zeroResults: searches?.zero ?? 0,
      durations: { buckets: SEARCH_BUCKETS_MS.map((le) => ({ le, count: Number(durations?.[`le${le}`] ?? 0) })), count: Number(durations?.count ?? 0), sumMs: Number(durations?.sum ?? 0) },
    },
    sockets: Number(sockets?.n ?? 0),
    lastMaintenance: lastRun ? { at: lastRun.at, report: (lastRun.detail ?? {}) as { failed?: unknown[] } & Record<string, unknown> } : null,
  };
}
