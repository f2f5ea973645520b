/**
 * Restoring a backup into a database: run by `npm run restore`
 * (scripts/restore.ts) and by the tests, never by the Worker, which holds only
 * the public key and could not open a backup anyway.
 *
 * Everything is checked before anything is written, so a refused restore
 * changes nothing: the manifest must exist and open with the identity (wrong
 * key → refused), the backup's schema must not be newer than the database's,
 * every table must exist with every column, the database must be empty (or
 * `force`), and every part must open (each chunk is authenticated, so an
 * altered, truncated or reordered object fails), name its backup, table and
 * part in its header, and match its row count and SHA-256 (and each table its
 * checksum of part checksums). Then the tables are written in manifest order
 * (parents first) in batches, each batch a transaction with foreign keys
 * checked at its end, and the full-text indexes are rebuilt.
 */
import { openBytes, open } from './archive';
import { concatBytes, toHex } from '../../lib/bytes';
import { Manifest, manifestKey, type PartRecord, partHeader, tableChecksum } from './manifest';
import { decodeRow } from './rows';
import { latestMigration, quoteName, readLayout, type SqlDatabase, type SqlStatement } from './tables';

export interface BackupSource {
  /** The object's bytes as a stream, or null when there is no such object. */
  get(key: string): Promise<ReadableStream<Uint8Array> | null>;
}

export class RestoreRefused extends Error {
  override name = 'RestoreRefused';
}

/** A library's message, with any private key it quotes removed (it ends up in terminals and logs). */
const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/LKBACKUP-SECRET-1[A-Za-z0-9_.-]+/g, '<the identity>');

export interface RestoreReport {
  backupId: string;
  schema: string;
  bookmark: string | null;
  startedAt: string;
  tables: { name: string; rows: number }[];
  rows: number;
  rebuilt: string[];
  wiped: boolean;
  durationMs: number;
}

/** The most one part may hold once opened (parts are cut at 8 MiB; a larger one is not ours). */
const MAX_PART_BYTES = 64 * 1024 * 1024;
/** D1 binds at most 100 parameters per statement. */
const MAX_PARAMS = 100;
const STATEMENTS_PER_BATCH = 50;

const migrationNumber = (name: string) => Number(/^(\d+)/.exec(name)?.[1] ?? Number.NaN);

async function readAll(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw new RestoreRefused(`An object is larger than ${limit} bytes once opened: not a Lorekeeper backup part`);
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}

/** The manifest, opened and checked; the restore's only source of truth about the backup. */
export async function readManifest(source: BackupSource, backupId: string, identity: string): Promise<Manifest> {
  const key = manifestKey(backupId);
  const stream = await source.get(key);
  if (!stream) throw new RestoreRefused(`No manifest at ${key}: not a backup id, or a backup that never finished`);
  const sealed = await readAll(stream, MAX_PART_BYTES);
  let plain: Uint8Array;
  try {
    plain = await openBytes(sealed, identity);
  } catch (err) {
    throw new RestoreRefused(`The key does not open this backup's manifest (a wrong key, or an altered manifest): ${reason(err)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(plain));
  } catch {
    throw new RestoreRefused('The manifest is not JSON');
  }
  const manifest = Manifest.safeParse(parsed);
  if (!manifest.success) throw new RestoreRefused(`The manifest is not a Lorekeeper backup manifest: ${manifest.error.issues[0]?.message ?? 'invalid'}`);
  if (manifest.data.id !== backupId) throw new RestoreRefused(`The manifest belongs to backup ${manifest.data.id}, not ${backupId}`);
  return manifest.data;
}

/** One part, opened and checked against the manifest; its rows as JSON lines (header removed). */
async function readPart(source: BackupSource, manifest: Manifest, table: string, index: number, part: PartRecord, identity: string): Promise<string[]> {
  const stream = await source.get(part.key);
  if (!stream) throw new RestoreRefused(`Part ${part.key} is missing`);
  let plain: Uint8Array;
  try {
    plain = await readAll(await open(stream, identity), MAX_PART_BYTES);
  } catch (err) {
    if (err instanceof RestoreRefused) throw err;
    throw new RestoreRefused(`Part ${part.key} does not open (altered or truncated): ${reason(err)}`);
  }
  if (toHex(await crypto.subtle.digest('SHA-256', plain as Uint8Array<ArrayBuffer>)) !== part.sha256) throw new RestoreRefused(`Part ${part.key} does not match its checksum`);
  const lines = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(plain).split('\n');
  if (lines.pop() !== '') throw new RestoreRefused(`Part ${part.key} does not end with a full line`);
  if (lines.shift() !== partHeader(manifest.id, table, index)) throw new RestoreRefused(`Part ${part.key} belongs to another backup, table or position`);
  if (lines.length !== part.rows) throw new RestoreRefused(`Part ${part.key} holds ${lines.length} rows; the manifest says ${part.rows}`);
  return lines;
}

/** Restores `backupId` from `source` into `db` (see the header for what is checked first). */
export async function restoreBackup(source: BackupSource, db: SqlDatabase, options: { backupId: string; identity: string; force?: boolean; log?: (line: string) => void }): Promise<RestoreReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const manifest = await readManifest(source, options.backupId, options.identity);
  log(`backup ${manifest.id}: schema ${manifest.schema}, ${manifest.tables.length} tables, made ${manifest.startedAt}`);

  const schema = await latestMigration(db);
  if (schema === 'none') throw new RestoreRefused('The database has no migrations applied: apply them first (npm run restore does, unless --no-migrate)');
  if (!(migrationNumber(manifest.schema) <= migrationNumber(schema))) {
    throw new RestoreRefused(`The backup is from a newer schema (${manifest.schema}) than this database (${schema}): update Lorekeeper and apply its migrations first`);
  }
  const layout = await readLayout(db);
  for (const table of manifest.tables) {
    const target = layout.tables.find((t) => t.name === table.name);
    if (!target) throw new RestoreRefused(`The database has no table ${table.name}`);
    const missing = table.columns.filter((c) => !target.columns.includes(c));
    if (missing.length) throw new RestoreRefused(`Table ${table.name} has no column ${missing.join(', ')}`);
  }
  const counts = await db.batch(manifest.tables.map((t) => db.prepare(`SELECT count(*) AS n FROM ${quoteName(t.name)}`)));
  const occupied = manifest.tables.map((t, i) => ({ name: t.name, n: Number((counts[i]!.results[0] as { n: number }).n) })).filter((t) => t.n > 0);
  if (occupied.length && !options.force) {
    throw new RestoreRefused(`The database is not empty (${occupied.slice(0, 5).map((t) => `${t.name}: ${t.n} rows`).join(', ')}${occupied.length > 5 ? ', …' : ''}); restore into an empty database or pass --force to replace its content`);
  }

  // Pass 1: every part opens and matches, before a single write.
  for (const table of manifest.tables) {
    for (const [i, part] of table.parts.entries()) {
      const lines = await readPart(source, manifest, table.name, i, part, options.identity);
      for (const line of lines) {
        try { decodeRow(line, table.columns); } catch (err) { throw new RestoreRefused(`Part ${part.key}: ${reason(err)}`); }
      }
    }
    if (table.rows !== table.parts.reduce((n, p) => n + p.rows, 0) || table.sha256 !== await tableChecksum(table.parts)) {
      throw new RestoreRefused(`Table ${table.name} does not match its parts (rows or checksum)`);
    }
  }
  log('every part opens and matches its checksum');

  // Pass 2: write. Children are wiped before parents, parents written before children.
  if (occupied.length) {
    for (const table of [...manifest.tables].reverse()) await db.batch([db.prepare('PRAGMA defer_foreign_keys = on'), db.prepare(`DELETE FROM ${quoteName(table.name)}`)]);
    log(`wiped ${occupied.length} tables (--force)`);
  }
  for (const table of manifest.tables) {
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / table.columns.length));
    const head = `INSERT INTO ${quoteName(table.name)} (${table.columns.map(quoteName).join(', ')}) VALUES `;
    const tuple = `(${table.columns.map(() => '?').join(', ')})`;
    let pending: SqlStatement[] = [];
    const flush = async () => {
      if (pending.length) await db.batch([db.prepare('PRAGMA defer_foreign_keys = on'), ...pending]);
      pending = [];
    };
    for (const [i, part] of table.parts.entries()) {
      const rows = (await readPart(source, manifest, table.name, i, part, options.identity)).map((line) => decodeRow(line, table.columns));
      for (let at = 0; at < rows.length; at += perStatement) {
        const slice = rows.slice(at, at + perStatement);
        pending.push(db.prepare(head + slice.map(() => tuple).join(', ')).bind(...slice.flat()));
        if (pending.length >= STATEMENTS_PER_BATCH) await flush();
      }
    }
    await flush();
    log(`${table.name}: ${table.rows} rows`);
  }
  const rebuilt: string[] = [];
  for (const fts of layout.fts) {
    await db.prepare(`INSERT INTO ${quoteName(fts)}(${quoteName(fts)}) VALUES ('rebuild')`).run();
    rebuilt.push(fts);
  }
  if (rebuilt.length) log(`rebuilt ${rebuilt.join(', ')}`);

  const after = await db.batch(manifest.tables.map((t) => db.prepare(`SELECT count(*) AS n FROM ${quoteName(t.name)}`)));
  const tables = manifest.tables.map((t, i) => ({ name: t.name, rows: Number((after[i]!.results[0] as { n: number }).n) }));
  const short = tables.filter((t, i) => t.rows !== manifest.tables[i]!.rows);
  if (short.length) throw new Error(`Restored counts differ from the backup: ${short.map((t) => t.name).join(', ')}`);
  return {
    backupId: manifest.id, schema: manifest.schema, bookmark: manifest.bookmark, startedAt: manifest.startedAt,
    tables, rows: tables.reduce((n, t) => n + t.rows, 0), rebuilt, wiped: occupied.length > 0, durationMs: Date.now() - started,
  };
}
