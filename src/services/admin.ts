/**
 * What a platform operator sees: the platform's status (bindings, counts,
 * the last maintenance run) and the audit log with filters. Operators are
 * set outside the API (`npm run operator`); everyone else gets 403.
 */
import { and, count, desc, eq, gte, sql } from 'drizzle-orm';
import { auditEvents, campaigns, gameSessions, rulebooks, users } from '../db/schema';
import { forbidden } from '../lib/problem';
import { platformHealth } from './health';
import { callerOf, type Scope } from './scope';

async function requireOperator(scope: Scope) {
  const { userId } = callerOf(scope);
  const row = await scope.db.select({ isOperator: users.isOperator }).from(users).where(eq(users.id, userId)).get();
  if (!row?.isOperator) throw forbidden('Operators only');
}

export async function platformStatus(scope: Scope) {
  await requireOperator(scope);
  const { db } = scope;
  const [health, userCount, campaignCount, sessions, books, lastRun] = await Promise.all([
    platformHealth(scope),
    db.select({ n: count() }).from(users).get(),
    db.select({ n: count() }).from(campaigns).get(),
    db.select({ status: gameSessions.status, n: count() }).from(gameSessions).groupBy(gameSessions.status),
    db.select({ status: rulebooks.status, n: count(), pages: sql<number>`coalesce(sum(${rulebooks.pagesDone}), 0)` }).from(rulebooks).groupBy(rulebooks.status),
    db.select({ at: auditEvents.at, detail: auditEvents.detail }).from(auditEvents).where(eq(auditEvents.type, 'maintenance.run')).orderBy(desc(auditEvents.at)).limit(1).get(),
  ]);
  return {
    environment: scope.config.environment, health,
    counts: {
      users: userCount?.n ?? 0, campaigns: campaignCount?.n ?? 0,
      sessions: Object.fromEntries(sessions.map((s) => [s.status, s.n])),
      rulebooks: Object.fromEntries(books.map((b) => [b.status, { count: b.n, pages: b.pages }])),
    },
    maintenance: lastRun ? { at: lastRun.at, report: lastRun.detail } : null,
    backups: null,
  };
}

export async function auditLog(scope: Scope, input: { type?: string; actorUserId?: string; campaignId?: string; since?: string; limit: number; offset: number }) {
  await requireOperator(scope);
  const rows = await scope.db.select().from(auditEvents).where(and(
    input.type ? eq(auditEvents.type, input.type) : undefined,
    input.actorUserId ? eq(auditEvents.actorUserId, input.actorUserId) : undefined,
    input.campaignId ? eq(auditEvents.campaignId, input.campaignId) : undefined,
    input.since ? gte(auditEvents.at, input.since) : undefined,
  )).orderBy(desc(auditEvents.at)).limit(input.limit).offset(input.offset);
  return { items: rows };
}
