/**
 * The rulebook library of a campaign: upload a PDF (streamed to R2, hashed,
 * deduplicated, ingestion queued), watch its progress, rename, re-index and
 * delete (PDF, passages, index entries and vectors). The GM manages; every
 * member reads.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { newId, nowIso } from '../db/client';
import { rulebookChunks, rulebooks } from '../db/schema';
import { conflict, notFound, ProblemError } from '../lib/problem';
import { deleteChunkVectors, semanticBindings } from '../rules/embeddings';
import { signedFileUrl } from '../rules/file-links';
import { deleteIndex } from '../rules/store';
import type { IngestMessage } from '../rules/ingest';
import { safeFilename, storePdf, UploadError } from '../rules/upload';
import { requireMember } from './policy';
import type { Scope } from './scope';

type RulebookRow = typeof rulebooks.$inferSelect;

/** The key that signs PDF links (the JWT secret); without it no link can be made, so say so instead of failing. */
export function linkSecret(scope: Scope): string {
  const secret = scope.config.jwtSecret;
  if (!secret) throw new ProblemError(503, 'PDF links are not configured: the JWT_SECRET secret is missing');
  return secret;
}

export async function presentRulebook(scope: Scope, r: RulebookRow) {
  return {
    id: r.id, campaignId: r.campaignId, title: r.title, filename: r.filename, sourceType: r.sourceType, attribution: r.attribution, sizeBytes: r.sizeBytes, sha256: r.sha256,
    status: r.status, progress: { stage: r.stage, pagesDone: r.pagesDone, pagesTotal: r.pagesTotal, chunks: r.chunkCount },
    error: r.error, fileUrl: await signedFileUrl(linkSecret(scope), r.id), createdAt: r.createdAt, updatedAt: r.updatedAt,
  };
}

async function loadRulebook(scope: Scope, campaignId: string, id: string): Promise<RulebookRow> {
  const row = await scope.db.select().from(rulebooks).where(and(eq(rulebooks.id, id), eq(rulebooks.campaignId, campaignId))).get();
  if (!row) throw notFound('Rulebook');
  return row;
}

/** Removes a book's chunks (FTS rows follow by trigger), vocabulary and vectors. */
async function dropIndex(scope: Scope, book: RulebookRow) {
  const semantic = semanticBindings(scope.env);
  if (semantic) {
    const ids = await scope.db.select({ id: rulebookChunks.id }).from(rulebookChunks).where(eq(rulebookChunks.rulebookId, book.id));
    await deleteChunkVectors(semantic, book.id, ids.map((r) => r.id));
  }
  await deleteIndex(scope.env.DB, book.id);
}

export interface UploadInput {
  body: ReadableStream<Uint8Array>;
  /** The declared Content-Length, when there is one. */
  length: number | null;
  title?: string;
  filename?: string;
  sourceType: 'rules' | 'lore';
  attribution: string;
}

/** Stores the PDF and queues ingestion; the same file twice in a campaign returns the existing book (`duplicate`). */
export async function uploadRulebook(scope: Scope, campaignId: string, input: UploadInput) {
  const gm = await requireMember(scope, campaignId, 'gm', true);
  const id = newId();
  const key = `rulebooks/${gm.campaign.id}/${id}.pdf`;
  let stored;
  try {
    stored = await storePdf(scope.env.FILES, key, input.body, input.length, scope.config.maxUploadBytes);
  } catch (err) {
    // A client that hung up mid-upload is a 499 (client closed request), logged, not our failure.
    if (err instanceof UploadError) throw new ProblemError(err.status, err.message);
    throw err;
  }
  const existing = await scope.db.select().from(rulebooks).where(and(eq(rulebooks.campaignId, gm.campaign.id), eq(rulebooks.sha256, stored.sha256))).get();
  if (existing) {
    await scope.env.FILES.delete(key);
    return { duplicate: true, rulebook: await presentRulebook(scope, existing) };
  }
  const filename = safeFilename(input.filename);
  const now = nowIso();
  const row: RulebookRow = {
    id, campaignId: gm.campaign.id, title: input.title ?? filename.replace(/\.pdf$/i, ''), filename, sourceType: input.sourceType, attribution: input.attribution,
    r2Key: key, sha256: stored.sha256, sizeBytes: stored.size, status: 'uploaded', stage: 'queued', pagesTotal: null, pagesDone: 0, chunkCount: 0,
    error: null, generation: 1, ingestState: null, uploadedBy: gm.userId, createdAt: now, updatedAt: now,
  };
  await scope.db.insert(rulebooks).values(row);
  await scope.env.INGEST_QUEUE.send({ rulebookId: id, generation: 1, fromPage: 1 } satisfies IngestMessage);
  return { duplicate: false, rulebook: await presentRulebook(scope, row) };
}

export async function listRulebooks(scope: Scope, campaignId: string) {
  const member = await requireMember(scope, campaignId);
  const rows = await scope.db.select().from(rulebooks).where(eq(rulebooks.campaignId, member.campaign.id)).orderBy(desc(rulebooks.createdAt));
  return Promise.all(rows.map((r) => presentRulebook(scope, r)));
}

export async function getRulebook(scope: Scope, campaignId: string, id: string) {
  await requireMember(scope, campaignId);
  return presentRulebook(scope, await loadRulebook(scope, campaignId, id));
}

export async function updateRulebook(scope: Scope, campaignId: string, id: string, input: { title?: string; sourceType?: 'rules' | 'lore'; attribution?: string }) {
  await requireMember(scope, campaignId, 'gm', true);
  const book = await loadRulebook(scope, campaignId, id);
  const changes = { ...input, updatedAt: nowIso() };
  await scope.db.update(rulebooks).set(changes).where(eq(rulebooks.id, book.id));
  return presentRulebook(scope, { ...book, ...changes });
}

export async function reindexRulebook(scope: Scope, campaignId: string, id: string) {
  await requireMember(scope, campaignId, 'gm', true);
  const book = await loadRulebook(scope, campaignId, id);
  if (book.status === 'processing' || book.status === 'uploaded') throw conflict('This rulebook is being indexed right now');
  await dropIndex(scope, book);
  const generation = book.generation + 1;
  const changes = { generation, status: 'processing' as const, stage: 'queued', pagesDone: 0, chunkCount: 0, error: null, ingestState: null, updatedAt: nowIso() };
  await scope.db.update(rulebooks).set(changes).where(eq(rulebooks.id, book.id));
  await scope.env.INGEST_QUEUE.send({ rulebookId: book.id, generation, fromPage: 1 } satisfies IngestMessage);
  return presentRulebook(scope, { ...book, ...changes });
}

export async function deleteRulebook(scope: Scope, campaignId: string, id: string) {
  await requireMember(scope, campaignId, 'gm', true);
  const book = await loadRulebook(scope, campaignId, id);
  await dropIndex(scope, book);
  await scope.env.FILES.delete(book.r2Key);
  await scope.db.delete(rulebooks).where(eq(rulebooks.id, book.id));
}

/**
 * Maintenance (no caller): deletes PDFs in R2 that no rulebook points to — left when a request failed between
 * storing the file and writing its row. Only objects older than `before` are considered, so an upload in flight
 * (file stored, row not yet written) is never touched. Scans at most 10,000 objects a run. (Vectors need no sweep:
 * they are deleted before their rows, so a failure leaves the book in place to delete again; and a Worker cannot
 * list a Vectorize index anyway — list-vectors is REST and CLI only.)
 */
export async function deleteOrphanedFiles(scope: Scope, before: Date): Promise<number> {
  let deleted = 0;
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const listed = await scope.env.FILES.list({ prefix: 'rulebooks/', cursor, limit: 1000 });
    const old = listed.objects.filter((o) => o.uploaded < before).map((o) => o.key);
    const known = new Set<string>();
    // D1 binds at most 100 parameters per statement.
    for (let i = 0; i < old.length; i += 90) {
      const rows = await scope.db.select({ key: rulebooks.r2Key }).from(rulebooks).where(inArray(rulebooks.r2Key, old.slice(i, i + 90)));
      for (const row of rows) known.add(row.key);
    }
    const orphans = old.filter((key) => !known.has(key));
    if (orphans.length) await scope.env.FILES.delete(orphans);
    deleted += orphans.length;
    if (!listed.truncated) break;
    cursor = listed.cursor;
  }
  return deleted;
}
