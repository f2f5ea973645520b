/**
 * The platform's state as D1 holds it — accounts, campaigns, sessions and
 * rulebooks by status, searches of the last day, the last maintenance run —
 * read in one round of queries for the operator's status page and /metrics.
 * No authorisation here: each caller checks its own (operator, metrics token).
 */
import { count, desc, eq, gte, sql } from 'drizzle-orm';
import { auditEvents, campaigns, gameSessions, rulebooks, searchQueries, users } from '../db/schema';
import type { Scope } from './scope';

export async function platformState(scope: Scope) {
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
  return {
    users: userCount?.n ?? 0,
    campaigns: campaignRows,
    sessions: sessionRows,
    rulebooks: bookRows,
    searches24h: { count: searches?.n ?? 0, zeroResults: searches?.zero ?? 0 },
    lastMaintenance: lastRun ? { at: lastRun.at, report: (lastRun.detail ?? {}) as { failed?: unknown[] } & Record<string, unknown> } : null,
  };
}
