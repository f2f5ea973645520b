/**
 * What a backup is made of, shared by the Worker that writes it and the restore
 * script that reads it. A backup `id` lives under `backups/<id>/` in R2:
 *
 *   manifest.json          a plaintext summary for listing (no content, not trusted on restore)
 *   manifest.json.lkb      the manifest, encrypted: the restore's only source of truth
 *   <table>.<part>.jsonl.gz.lkb   the rows of one slice of one table
 *
 * A part's plaintext is JSON lines: a header line `{"backup","table","part"}`
 * (so a part cannot be swapped into another backup or table unnoticed), then one
 * object per row. Each part is gzip-compressed and encrypted (`archive.ts`),
 * which authenticates 64 KiB chunks with a counter and a last-chunk flag: a
 * truncated, reordered or altered object fails to open.
 * A table's `sha256` is the SHA-256 of its parts' hashes (hex, newline-joined, in
 * order), since the parts are written by separate queue steps.
 */
import { z } from 'zod';
import { toHex } from '../../lib/bytes';

export const FORMAT = 'lorekeeper-backup';
export const VERSION = 1;

export const PartRecord = z.object({
  key: z.string().min(1).max(300),
  /** Rows in this part (the header line not counted). */
  rows: z.number().int().min(0),
  /** SHA-256 (hex) of the part's plaintext JSON lines, header included. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Plaintext bytes, and bytes stored in R2 (compressed and encrypted). */
  bytes: z.number().int().min(0),
  stored: z.number().int().min(0),
});
export type PartRecord = z.infer<typeof PartRecord>;

export const TableRecord = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).max(64),
  columns: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).max(64)).min(1).max(200),
  rows: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  parts: z.array(PartRecord).max(100_000),
});
export type TableRecord = z.infer<typeof TableRecord>;

export const FileRecord = z.object({ key: z.string(), size: z.number().int().min(0), uploaded: z.string() });

export const Manifest = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  id: z.string().min(1).max(100),
  /** The newest migration applied to the database that was dumped. */
  schema: z.string().min(1).max(200),
  bookmark: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number().int().min(0),
  /** Tables in restore order (a table after those it references). */
  tables: z.array(TableRecord).max(500),
  /** Left out and rebuilt on restore: full-text indexes and their shadow tables. */
  skipped: z.array(z.string()).max(500),
  /** The users' own files in R2 (rulebook PDFs), listed, not copied: see README "Backups". */
  files: z.array(FileRecord).max(1_000_000),
  filesTruncated: z.boolean(),
});
export type Manifest = z.infer<typeof Manifest>;

export const prefixOf = (id: string) => `backups/${id}/`;
export const manifestKey = (id: string) => `${prefixOf(id)}manifest.json.lkb`;
export const summaryKey = (id: string) => `${prefixOf(id)}manifest.json`;
export const partKey = (id: string, table: string, part: number) => `${prefixOf(id)}${table}.${String(part).padStart(4, '0')}.jsonl.gz.lkb`;

/** The first line of every part. */
export const partHeader = (id: string, table: string, part: number) => JSON.stringify({ backup: id, table, part });

/** A table's checksum from its parts' checksums (see the header). */
export async function tableChecksum(parts: { sha256: string }[]): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.map((p) => p.sha256).join('\n'))));
}
