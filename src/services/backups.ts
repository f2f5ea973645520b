/**
 * Backups of D1 into R2, encrypted to the operator's public key (`BACKUP_RECIPIENT`).
 *
 * A run is a chain of queue steps, each bounded to a few dozen D1 queries so it
 * fits any plan's per-invocation limits whatever the database's size: the cron
 * (or an operator) starts a run — live tables flushed, D1's bookmark taken, the
 * tables listed in restore order — and each step dumps slices of tables as
 * parts (`ops/backup`), records them in `backup_runs.progress` and enqueues the
 * next. The last step writes the manifest, marks the run done and prunes old
 * backups (`ops/backup/retention.ts`). A retried step rewrites its own parts,
 * so a retry never duplicates rows; a step that fails three times fails the run
 * and deletes what it wrote. A table dumped page by page is not a snapshot:
 * the manifest records the bookmark taken at the start, the point a D1 Time
 * Travel restore would return to (DEPLOY.md).
 */
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import { backupRuns, gameSessions } from '../db/schema';
import { conflict, ProblemError } from '../lib/problem';
import { toHex } from '../lib/bytes';
import { logger } from '../lib/logger';
import { seal, sealBytes } from '../ops/backup/archive';
import { FORMAT, type Manifest, manifestKey, type PartRecord, partHeader, partKey, prefixOf, summaryKey, tableChecksum, VERSION } from '../ops/backup/manifest';
import { writeObject } from '../ops/backup/object-writer';
import { expired } from '../ops/backup/retention';
import { encodeRow } from '../ops/backup/rows';
import { latestMigration, readLayout, readPage, type TablePlan } from '../ops/backup/tables';
import { gameSessionStub } from '../session/stub';
import { audit } from './audit';
import { requireOperator } from './policy';
import type { Scope } from './scope';

export interface StepLimits {
  /** One step's share of D1 queries (free plan: 50 per invocation, a few kept for bookkeeping). */
  queries: number;
  /** A part's plaintext is cut after this many bytes (memory per step stays bounded; the restore holds one part at a time). */
  partBytes: number;
  pageRows: number;
  /** A page is cut shorter when rows are large, so one read stays around this size. */
  pageBytes: number;
}
const LIMITS: StepLimits = { queries: 30, partBytes: 8 * 1024 * 1024, pageRows: 500, pageBytes: 2 * 1024 * 1024 };
const MAX_ATTEMPTS = 3;
/** Live tables flushed before a run starts (each is a Durable Object call). */
const FLUSH_LIMIT = 200;
/** A run still "running" after this long has lost its chain (a message dropped): it is failed and cleaned up. */
const STALE_MS = 24 * 3_600_000;

export interface BackupStep { backupId: string; table: number; after: number; part: number }

interface Progress { tables: (TablePlan & { parts: PartRecord[] })[]; skipped: string[]; flushed: number; flushFailures: number }

type Run = typeof backupRuns.$inferSelect;

export function presentRun(run: Run, now = Date.now()) {
  const progress = run.progress as Progress;
  const tablesDone = progress.tables.filter((t) => t.parts.length > 0).length;
  return {
    id: run.id, status: run.status, trigger: run.trigger, startedAt: run.startedAt, finishedAt: run.finishedAt,
    ageSeconds: Math.max(0, Math.round((now - Date.parse(run.startedAt)) / 1000)),
    schema: run.schema, bookmark: run.bookmark, sizeBytes: run.sizeBytes, rows: run.rows, error: run.error,
    tables: { done: run.status === 'done' ? progress.tables.length : tablesDone, total: progress.tables.length },
    manifest: run.status === 'done' ? manifestKey(run.id) : null,
  };
}

/** `2026-11-24T03-17-00Z-1a2b3c`: sortable by time, safe in an R2 key and a URL. */
function newBackupId(now: Date): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return `${stamp}-${toHex(crypto.getRandomValues(new Uint8Array(3)))}`;
}

/** Starts a run now (an operator; `trigger: 'cron'` from the scheduled handler with a system scope). */
export async function startBackup(scope: Scope, trigger: 'cron' | 'operator', now = new Date()) {
  const requestedBy = trigger === 'operator' ? await requireOperator(scope) : null;
  const { recipient } = scope.config.backup;
  if (!recipient) throw new ProblemError(503, 'Backups are off: set the BACKUP_RECIPIENT secret to a backup public key (npm run backup:key) (DEPLOY.md, "Backups")');
  const { db, env } = scope;
  await failStaleRuns(scope, now);
  const running = await db.select({ id: backupRuns.id }).from(backupRuns).where(eq(backupRuns.status, 'running')).get();
  if (running) throw conflict(`Backup ${running.id} is still running; wait for it to finish`);

  // Live tables hold their newest events in their Durable Objects: flush them so the dump has them.
  const live = await db.select({ id: gameSessions.id }).from(gameSessions).where(eq(gameSessions.status, 'live')).limit(FLUSH_LIMIT);
  const flushes = await Promise.allSettled(live.map((t) => gameSessionStub(env, t.id).flush()));
  const flushFailures = flushes.filter((f) => f.status === 'rejected').length;

  const [layout, schema, bookmark] = await Promise.all([readLayout(env.DB), latestMigration(env.DB), bookmarkNow(env.DB)]);
  const id = newBackupId(now);
  const progress: Progress = { tables: layout.tables.map((t) => ({ ...t, parts: [] })), skipped: layout.skipped, flushed: live.length - flushFailures, flushFailures };
  const [run] = await db.insert(backupRuns).values({ id, trigger, requestedBy, startedAt: now.toISOString(), schema, bookmark, progress }).returning();
  try {
    await env.BACKUP_QUEUE.send({ backupId: id, table: 0, after: 0, part: 0 } satisfies BackupStep);
  } catch (err) {
    await db.delete(backupRuns).where(eq(backupRuns.id, id));
    throw err;
  }
  logger.info('backup started', { backupId: id, trigger, tables: layout.tables.length, flushed: progress.flushed, flushFailures });
  await audit(scope, 'backup.start', { backupId: id, trigger });
  return presentRun(run!, now.getTime());
}

/** D1's bookmark for "now" (Sessions API); null where D1 has none (older local runtimes). */
async function bookmarkNow(db: D1Database): Promise<string | null> {
  try {
    const session = db.withSession('first-primary');
    await session.prepare('SELECT 1').first();
    return session.getBookmark();
  } catch {
    return null;
  }
}

export async function listBackups(scope: Scope, input: { limit: number }) {
  await requireOperator(scope);
  const rows = await scope.db.select().from(backupRuns).orderBy(desc(backupRuns.startedAt)).limit(input.limit);
  return { items: rows.map((r) => presentRun(r)), recipientSet: scope.config.backup.recipient !== null };
}

/** The newest run and the newest successful one, for the status page and /metrics (no authorisation: callers check). */
export async function backupState(scope: Scope) {
  const [last, lastDone] = await Promise.all([
    scope.db.select().from(backupRuns).orderBy(desc(backupRuns.startedAt)).limit(1).get(),
    scope.db.select().from(backupRuns).where(eq(backupRuns.status, 'done')).orderBy(desc(backupRuns.startedAt)).limit(1).get(),
  ]);
  return { enabled: scope.config.backup.recipient !== null, last: last ? presentRun(last) : null, lastSuccessful: lastDone ? presentRun(lastDone) : null };
}

/** One step of a run: dumps parts until its query budget is spent, then hands on to the next step or finishes. */
export async function runBackupStep(scope: Scope, step: BackupStep, limits = LIMITS): Promise<'continued' | 'done' | 'stale'> {
  const { db, env } = scope;
  const run = await db.select().from(backupRuns).where(eq(backupRuns.id, step.backupId)).get();
  // A message from a run that was failed or finished meanwhile: nothing to do.
  if (!run || run.status !== 'running') return 'stale';
  const recipient = scope.config.backup.recipient;
  if (!recipient) throw new Error('BACKUP_RECIPIENT was unset during the run');
  const progress = run.progress as Progress;
  let { table: index, after, part } = step;
  let queries = 1;
  while (index < progress.tables.length && queries < limits.queries) {
    const table = progress.tables[index]!;
    // Parts from this one on are (re)written by this step: a retry replaces, never appends.
    table.parts.length = part;
    const written = await dumpPart(env, run.id, table, part, after, recipient, limits.queries - queries, limits);
    table.parts[part] = written.record;
    queries += written.queries;
    if (written.done) { index++; after = 0; part = 0; } else { after = written.lastRowid; part++; }
  }
  if (index < progress.tables.length) {
    await db.update(backupRuns).set({ progress }).where(eq(backupRuns.id, run.id));
    await env.BACKUP_QUEUE.send({ backupId: run.id, table: index, after, part } satisfies BackupStep);
    return 'continued';
  }
  await finishRun(scope, run, progress);
  return 'done';
}

/** Writes one part: up to `limits.partBytes` of rows after `after`, within `budget` queries. */
async function dumpPart(env: Env, backupId: string, table: TablePlan, part: number, after: number, recipient: string, budget: number, limits: StepLimits) {
  const digest = new crypto.DigestStream('SHA-256');
  const hash = digest.getWriter();
  const encoder = new TextEncoder();
  let rows = 0, bytes = 0, queries = 0, done = false, lastRowid = after, limit = limits.pageRows;
  const emit = async (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    const chunk = encoder.encode(text);
    bytes += chunk.byteLength;
    await hash.write(chunk);
    controller.enqueue(chunk);
  };
  const source = new ReadableStream<Uint8Array>({
    start: (controller) => emit(controller, `${partHeader(backupId, table.name, part)}\n`),
    pull: async (controller) => {
      if (bytes >= limits.partBytes || queries >= budget) return controller.close();
      const page = await readPage(env.DB, table, lastRowid, limit);
      queries++;
      let text = '';
      for (const { rowid, row } of page) { text += `${encodeRow(row)}\n`; lastRowid = rowid; }
      rows += page.length;
      if (text) await emit(controller, text);
      if (page.length < limit) { done = true; return controller.close(); }
      limit = Math.max(1, Math.min(limits.pageRows, Math.floor(limits.pageBytes / Math.max(1, text.length / page.length))));
    },
  }, { highWaterMark: 0 });
  const key = partKey(backupId, table.name, part);
  const stored = await writeObject(env.FILES, key, await seal(source, recipient));
  await hash.close();
  const record: PartRecord = { key, rows, sha256: toHex(await digest.digest), bytes, stored };
  return { record, queries, done, lastRowid };
}

async function finishRun(scope: Scope, run: Run, progress: Progress) {
  const { db, env } = scope;
  const finished = new Date();
  const tables = await Promise.all(progress.tables.map(async (t) => ({
    name: t.name, columns: t.columns, rows: t.parts.reduce((n, p) => n + p.rows, 0), sha256: await tableChecksum(t.parts), parts: t.parts,
  })));
  const files = await listFiles(env.FILES);
  const manifest: Manifest = {
    format: FORMAT, version: VERSION, id: run.id, schema: run.schema, bookmark: run.bookmark,
    startedAt: run.startedAt, finishedAt: finished.toISOString(), durationMs: finished.getTime() - Date.parse(run.startedAt),
    tables, skipped: progress.skipped, files: files.items, filesTruncated: files.truncated,
  };
  const recipient = scope.config.backup.recipient!;
  const sealed = await sealBytes(new TextEncoder().encode(JSON.stringify(manifest)), recipient);
  await env.FILES.put(manifestKey(run.id), sealed);
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  const sizeBytes = tables.reduce((n, t) => n + t.parts.reduce((m, p) => m + p.stored, 0), 0) + sealed.byteLength;
  // The summary is for people and listings; the restore trusts only the encrypted manifest.
  await env.FILES.put(summaryKey(run.id), JSON.stringify({
    format: FORMAT, version: VERSION, id: run.id, schema: run.schema, startedAt: run.startedAt, finishedAt: manifest.finishedAt,
    rows, sizeBytes, tables: tables.map((t) => ({ name: t.name, rows: t.rows, parts: t.parts.length })), files: files.items.length,
    note: 'Summary only. The restore reads manifest.json.lkb, which only the backup key opens.',
  }, null, 2), { httpMetadata: { contentType: 'application/json' } });
  await db.update(backupRuns).set({ status: 'done', finishedAt: manifest.finishedAt, progress, rows, sizeBytes }).where(eq(backupRuns.id, run.id));
  logger.info('backup done', { backupId: run.id, rows, sizeBytes, durationMs: manifest.durationMs, tables: tables.length });
  await audit(scope, 'backup.done', { backupId: run.id, rows, sizeBytes, durationMs: manifest.durationMs });
  await pruneBackups(scope);
}

/** The users' files (rulebook PDFs), listed with size and upload time; at most 10,000 (then `truncated`). */
async function listFiles(bucket: R2Bucket) {
  const items: { key: string; size: number; uploaded: string }[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const listed = await bucket.list({ prefix: 'rulebooks/', cursor, limit: 1000 });
    items.push(...listed.objects.map((o) => ({ key: o.key, size: o.size, uploaded: o.uploaded.toISOString() })));
    if (!listed.truncated) return { items, truncated: false };
    cursor = listed.cursor;
  }
  return { items, truncated: true };
}

/** A step failed for good: the run is failed and what it wrote is deleted. */
export async function failBackup(scope: Scope, backupId: string, error: string) {
  await scope.db.update(backupRuns).set({ status: 'failed', finishedAt: new Date().toISOString(), error: error.slice(0, 500) })
    .where(and(eq(backupRuns.id, backupId), eq(backupRuns.status, 'running')));
  await deleteObjects(scope.env.FILES, prefixOf(backupId));
  logger.error('backup failed', { backupId, error });
  await audit(scope, 'backup.failed', { backupId, error: error.slice(0, 500) });
}

async function failStaleRuns(scope: Scope, now: Date) {
  const stale = await scope.db.select({ id: backupRuns.id }).from(backupRuns)
    .where(and(eq(backupRuns.status, 'running'), lt(backupRuns.startedAt, new Date(now.getTime() - STALE_MS).toISOString())));
  for (const run of stale) await failBackup(scope, run.id, 'The run stopped without finishing (a step was lost)');
}

/** Retention: finished backups beyond the daily and monthly counts, and failed runs after a week, are deleted. */
export async function pruneBackups(scope: Scope): Promise<number> {
  const { db, env, config } = scope;
  const done = await db.select({ id: backupRuns.id, startedAt: backupRuns.startedAt }).from(backupRuns).where(eq(backupRuns.status, 'done'));
  const failed = await db.select({ id: backupRuns.id }).from(backupRuns)
    .where(and(eq(backupRuns.status, 'failed'), lt(backupRuns.startedAt, new Date(Date.now() - 7 * 86_400_000).toISOString())));
  const gone = [...expired(done, { daily: config.backup.keepDaily, monthly: config.backup.keepMonthly }), ...failed.map((f) => f.id)];
  for (const id of gone) await deleteObjects(env.FILES, prefixOf(id));
  for (let i = 0; i < gone.length; i += 90) await db.delete(backupRuns).where(inArray(backupRuns.id, gone.slice(i, i + 90)));
  return gone.length;
}

async function deleteObjects(bucket: R2Bucket, prefix: string) {
  for (;;) {
    const listed = await bucket.list({ prefix, limit: 1000 });
    if (listed.objects.length) await bucket.delete(listed.objects.map((o) => o.key));
    if (!listed.truncated) return;
  }
}

/** The queue consumer: one step per message; the third failure of a step fails the run. */
export async function consumeBackupBatch(batch: MessageBatch<BackupStep>, scope: Scope) {
  for (const message of batch.messages) {
    try {
      await runBackupStep(scope, message.body);
      message.ack();
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      if (message.attempts >= MAX_ATTEMPTS) {
        await failBackup(scope, message.body.backupId, error);
        message.ack();
      } else {
        logger.warn('backup step failed, retrying', { backupId: message.body.backupId, attempt: message.attempts, error });
        message.retry();
      }
    }
  }
}
