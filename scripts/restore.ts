/**
 * Restores a Lorekeeper backup into D1 (src/ops/backup/restore.ts does the work:
 * it opens and checks every part before it writes anything).
 *
 *   npm run restore -- --list                                  # backups in the local R2 of npm run dev
 *   npm run restore -- --latest --identity .backup-identity.txt
 *   npm run restore -- --backup <id> --identity <file> [--force]
 *   npm run restore -- --backup <id> --identity <file> --into .wrangler/restored   # a fresh local database
 *   npm run restore -- --backup <id> --identity <file> --remote [--force]          # the deployed D1 and R2
 *
 * --state <dir>   where the local backups are (wrangler's --persist-to; default .wrangler/state)
 * --into <dir>    the local database to restore into (default: the same state as npm run dev)
 * --force         replace the content of a database that is not empty
 * --no-migrate    do not apply migrations to the target first
 * The identity can also come from the BACKUP_IDENTITY environment variable (the LKBACKUP-SECRET-1… line).
 *
 * Remote: wrangler's platform proxy with remote bindings (your `wrangler login`), reading the
 * production D1 and R2 named in wrangler.toml [env.production].
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getPlatformProxy, unstable_readConfig } from 'wrangler';
import { restoreBackup, RestoreRefused } from '../src/ops/backup/restore';
import type { SqlDatabase } from '../src/ops/backup/tables';

interface Bucket {
  get(key: string): Promise<{ body: ReadableStream<Uint8Array> } | null>;
  list(options: { prefix: string; delimiter?: string; cursor?: string }): Promise<{ delimitedPrefixes: string[]; truncated: boolean; cursor?: string }>;
}
interface Bindings { DB: SqlDatabase; FILES: Bucket }

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const remote = flag('remote');

function readIdentity(): string {
  const file = option('identity');
  const text = file ? readFileSync(file, 'utf8') : process.env.BACKUP_IDENTITY ?? '';
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l.startsWith('LKBACKUP-SECRET-1'));
  if (!line) fail(file ? `${file} holds no LKBACKUP-SECRET-1… line` : 'Pass --identity <file> (or set BACKUP_IDENTITY): the private key made by npm run backup:key');
  return line;
}

function fail(message: string): never {
  console.error(`restore: ${message}`);
  process.exit(1);
}

/**
 * A wrangler config holding only the database and the bucket (of `[env.production]` with --remote, marked remote),
 * so the platform proxy starts no Durable Objects. Same ids, so the same local files as npm run dev.
 */
function storageConfig(): string {
  const config = unstable_readConfig({ config: 'wrangler.toml', env: remote ? 'production' : undefined }, { hideWarnings: true });
  const d1 = config.d1_databases.find((d: { binding: string }) => d.binding === 'DB');
  const r2 = config.r2_buckets.find((b: { binding: string }) => b.binding === 'FILES');
  if (!d1 || !r2) fail(`wrangler.toml${remote ? ' [env.production]' : ''} binds no DB database or FILES bucket`);
  const path = join(tmpdir(), `lorekeeper-restore-${process.pid}.json`);
  writeFileSync(path, JSON.stringify({
    name: 'lorekeeper-restore', compatibility_date: config.compatibility_date,
    d1_databases: [{ binding: 'DB', database_name: d1.database_name, database_id: d1.database_id, remote }],
    r2_buckets: [{ binding: 'FILES', bucket_name: r2.bucket_name, remote }],
  }));
  return path;
}

async function proxy(state: string | null) {
  if (remote) return getPlatformProxy<Bindings>({ configPath: storageConfig(), remoteBindings: true });
  return getPlatformProxy<Bindings>({ configPath: storageConfig(), persist: { path: join(resolve(state ?? '.wrangler/state'), 'v3') }, remoteBindings: false });
}

async function backupIds(bucket: Bucket): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const listed = await bucket.list({ prefix: 'backups/', delimiter: '/', cursor });
    ids.push(...listed.delimitedPrefixes.map((p) => p.slice('backups/'.length, -1)));
    cursor = listed.truncated ? listed.cursor : undefined;
  } while (cursor);
  return ids.sort();
}

const state = option('state') ?? null;
const into = option('into') ?? null;
const source = await proxy(state);
try {
  if (flag('list')) {
    const ids = await backupIds(source.env.FILES);
    for (const id of ids) {
      const summary = await source.env.FILES.get(`backups/${id}/manifest.json`);
      const info = summary ? JSON.parse(await new Response(summary.body).text()) as { rows?: number; sizeBytes?: number; schema?: string } : null;
      console.log(info ? `${id}  ${info.rows} rows  ${info.sizeBytes} bytes  schema ${info.schema}` : `${id}  (unfinished: no manifest)`);
    }
    if (!ids.length) console.log('No backups (start one: POST /api/admin/backups as an operator, or wait for the nightly cron).');
    process.exit(0);
  }
  const identity = readIdentity();
  const backupId = flag('latest') ? (await backupIds(source.env.FILES)).at(-1) : option('backup');
  if (!backupId) fail('Name a backup: --backup <id> or --latest (see --list)');

  if (!flag('no-migrate')) {
    const target = remote ? ['--remote', '--env', 'production'] : ['--local', ...(into ?? state ? ['--persist-to', into ?? state!] : [])];
    execFileSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', ...target], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: '1' } });
  }
  const target = into && !remote ? await proxy(into) : source;
  try {
    const report = await restoreBackup({ get: async (key) => (await source.env.FILES.get(key))?.body ?? null }, target.env.DB, {
      backupId, identity, force: flag('force'), log: (line) => console.log(`  ${line}`),
    });
    console.log(`Restored backup ${report.backupId} (schema ${report.schema}, made ${report.startedAt}) into ${remote ? 'the production D1' : `the local D1 in ${into ?? state ?? '.wrangler/state'}`}:`);
    for (const table of report.tables) console.log(`  ${table.name.padEnd(24)} ${table.rows}`);
    console.log(`  ${report.rows} rows in ${report.tables.length} tables; full-text indexes rebuilt: ${report.rebuilt.join(', ') || 'none'}; ${report.durationMs} ms`);
    if (report.bookmark) console.log(`  D1 bookmark at the backup's start: ${report.bookmark}`);
  } finally {
    if (target !== source) await target.dispose();
  }
} catch (err) {
  if (err instanceof RestoreRefused) fail(`refused, nothing was changed: ${err.message}`);
  throw err;
} finally {
  await source.dispose();
}
