/**
 * What a platform operator sees: the platform's status (bindings, counts,
 * the last maintenance run and backup) and the audit log with filters. Operators are
 * set outside the API (`npm run operator`); everyone else gets 403.
 */
import { and, desc, eq, gte } from 'drizzle-orm';
import { auditEvents } from '../db/schema';
import { backupState } from './backups';
import { platformHealth } from './health';
import { platformState } from './platform-state';
import { requireOperator } from './policy';
import type { Scope } from './scope';

export async function platformStatus(scope: Scope) {
  await requireOperator(scope);
  const [health, state, backups] = await Promise.all([platformHealth(scope), platformState(scope), backupState(scope)]);
  const waiting = state.rulebooks.filter((b) => b.status === 'uploaded' || b.status === 'processing');
  return {
    environment: scope.config.environment, release: scope.env.RELEASE || null, health,
    // A Worker cannot read a queue's depth (the dashboard and the GraphQL API can); the work waiting in each is known here.
    queues: {
      ingest: { rulebooksWaiting: waiting.reduce((n, b) => n + b.n, 0), pagesRemaining: waiting.reduce((n, b) => n + Number(b.remaining), 0) },
      backup: { running: backups.last?.status === 'running' ? backups.last.id : null },
    },
    counts: {
      users: state.users, campaigns: state.campaigns.reduce((n, c) => n + c.n, 0),
      sessions: Object.fromEntries(state.sessions.map((s) => [s.status, s.n])),
      rulebooks: Object.fromEntries(state.rulebooks.map((b) => [b.status, { count: b.n, pages: b.pages }])),
    },
    maintenance: state.lastMaintenance,
    backups,
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
