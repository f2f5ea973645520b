/**
 * Nightly maintenance, run by the cron trigger with a system scope: purges
 * what has expired (refresh tokens and sign-ins, API keys, invites), ends live
 * tables abandoned for `ABANDONED_TABLE_HOURS` (flushed first), trims
 * search analytics older than `SEARCH_LOG_DAYS`, and deletes rulebook files
 * no rulebook points to. (Ended rooms delete their own storage after
 * `ENDED_TABLE_DAYS`: `GameSession#purgeWhenDue`.) Each run is logged and
 * written to the audit log with its counts. Every step is bounded and
 * independent: one failing does not stop the others (its error is counted).
 */
import { and, isNotNull, lt, or, sql } from 'drizzle-orm';
import { apiKeys, invites, refreshTokens, searchQueries, signIns } from '../db/schema';
import { logger } from '../lib/logger';
import { audit } from './audit';
import type { Scope } from './scope';
import { deleteOrphanedFiles } from './rulebooks';
import { endAbandonedTables } from './sessions';

/** Rows an expired record is kept after expiry, for support questions ("why was I signed out?"). */
const GRACE_DAYS = 7;
const day = 86_400_000;

export interface MaintenanceReport {
  at: string;
  refreshTokens: number;
  signIns: number;
  apiKeys: number;
  invites: number;
  abandonedTables: number;
  searchQueries: number;
  orphanedFiles: number;
  failed: string[];
}

const deleted = (result: unknown) => Number((result as { meta?: { changes?: number } }).meta?.changes ?? 0);

export async function runMaintenance(scope: Scope, now = new Date()): Promise<MaintenanceReport> {
  const at = now.toISOString();
  const graceEnd = new Date(now.getTime() - GRACE_DAYS * day).toISOString();
  const report: MaintenanceReport = { at, refreshTokens: 0, signIns: 0, apiKeys: 0, invites: 0, abandonedTables: 0, searchQueries: 0, orphanedFiles: 0, failed: [] };
  const step = async (name: keyof Omit<MaintenanceReport, 'at' | 'failed'>, work: () => Promise<number>) => {
    try {
      report[name] = await work();
    } catch (err) {
      report.failed.push(name);
      logger.error('maintenance step failed', { step: name, error: err instanceof Error ? err.message : String(err) });
    }
  };
  const { db, config } = scope;
  await step('refreshTokens', async () => deleted(await db.delete(refreshTokens).where(lt(refreshTokens.expiresAt, graceEnd)).run()));
  // A sign-in goes once it has expired or was revoked long enough ago (its refresh tokens cascade).
  await step('signIns', async () => deleted(await db.delete(signIns).where(or(lt(signIns.expiresAt, graceEnd), and(isNotNull(signIns.revokedAt), lt(signIns.revokedAt, graceEnd)))).run()));
  await step('apiKeys', async () => deleted(await db.delete(apiKeys).where(or(and(isNotNull(apiKeys.expiresAt), lt(apiKeys.expiresAt, graceEnd)), and(isNotNull(apiKeys.revokedAt), lt(apiKeys.revokedAt, graceEnd)))).run()));
  await step('invites', async () => deleted(await db.delete(invites).where(or(lt(invites.expiresAt, graceEnd), and(isNotNull(invites.revokedAt), lt(invites.revokedAt, graceEnd)), sql`${invites.uses} >= ${invites.maxUses} AND ${invites.createdAt} < ${graceEnd}`)).run()));
  await step('abandonedTables', () => endAbandonedTables(scope, new Date(now.getTime() - config.abandonedTableHours * 3_600_000).toISOString()));
  await step('searchQueries', async () => deleted(await db.delete(searchQueries).where(lt(searchQueries.at, new Date(now.getTime() - config.searchLogDays * day).toISOString())).run()));
  // A file stored a day ago with no rulebook row is a failed upload's leftover, not an upload in flight.
  await step('orphanedFiles', () => deleteOrphanedFiles(scope, new Date(now.getTime() - day)));
  logger.info('maintenance', { ...report });
  await audit(scope, 'maintenance.run', { ...report });
  return report;
}
