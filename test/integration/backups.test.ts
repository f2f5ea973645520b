/**
 * Backups through the real Worker (operator route, queue steps, cron) and the
 * restore that `npm run restore` runs: backup → wipe → restore gives every table
 * back row for row and rules search works again; a wrong key, an altered,
 * truncated or swapped part, a missing manifest and a newer schema are refused
 * and change nothing.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { generateKeyPair, openBytes, sealBytes } from '../../src/ops/backup/archive';
import { manifestKey, type Manifest } from '../../src/ops/backup/manifest';
import { type BackupSource, restoreBackup, RestoreRefused } from '../../src/ops/backup/restore';
import { quoteName, readLayout } from '../../src/ops/backup/tables';
import { type BackupStep, runBackupStep, startBackup } from '../../src/services/backups';
import { systemScope } from '../../src/services/scope';
import { call, isProblem, registerUser, setUpTable, type Table, type TestUser } from '../support/api';
import { fixture, uploadPdf, waitForIngestion } from '../support/rulebooks';

let t: Table;
let operator: TestUser;
const identity = () => env.BACKUP_TEST_IDENTITY;
const source: BackupSource = { get: async (key) => (await env.FILES.get(key))?.body ?? null };

/**
 * Every row of every backed-up table, in rowid order: what "identical content" means. The backup's own audit
 * rows are left out: `backup.start` is written before the dump and `backup.done` after it.
 */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const { tables } = await readLayout(env.DB);
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = (await env.DB.prepare(`SELECT * FROM ${quoteName(table.name)} ORDER BY rowid`).all()).results;
    out[table.name] = table.name === 'audit_events' ? rows.filter((r) => !String(r.type).startsWith('backup.')) : rows;
  }
  return out;
}

async function wipe() {
  const { tables } = await readLayout(env.DB);
  for (const table of [...tables].reverse()) await env.DB.prepare(`DELETE FROM ${quoteName(table.name)}`).run();
}

async function rowCount(): Promise<number> {
  const all = await snapshot();
  return Object.values(all).reduce((n, rows) => n + rows.length, 0);
}

/** Runs a backup's steps here with small limits (many parts, many steps), the queue replaced by a list. */
async function backUpInSteps(limits = { queries: 4, partBytes: 4096, pageRows: 7, pageBytes: 2048 }): Promise<{ id: string; steps: number }> {
  const queue: BackupStep[] = [];
  const scope = systemScope({ ...env, BACKUP_QUEUE: { send: async (m: BackupStep) => void queue.push(m) } } as unknown as Env);
  const run = await startBackup(scope, 'cron');
  let steps = 0;
  while (queue.length) {
    const step = queue.shift()!;
    steps++;
    await runBackupStep(scope, step, limits);
  }
  return { id: run.id, steps };
}

async function sealedManifest(id: string): Promise<Manifest> {
  const sealed = new Uint8Array(await (await env.FILES.get(manifestKey(id)))!.arrayBuffer());
  return JSON.parse(new TextDecoder().decode(await openBytes(sealed, identity())));
}

beforeAll(async () => {
  t = await setUpTable();
  operator = await registerUser('operator');
  await env.DB.prepare('UPDATE users SET is_operator = 1 WHERE id = ?').bind(operator.id).run();
  // Content in most tables: a character, lore, a note, a played session, a rulebook with its passages.
  await call('POST', `/api/campaigns/${t.campaignId}/characters`, { token: t.player.token, body: { name: 'Brakka', sheet: { abilities: { str: 16 }, hp: { max: 12, current: 12 } } } });
  await call('POST', `/api/campaigns/${t.campaignId}/npcs`, { token: t.gm.token, body: { name: 'Belak the Outcast', data: { description: 'A druid with a twig blight problem' } } });
  await call('POST', `/api/campaigns/${t.campaignId}/notes`, { token: t.gm.token, body: { title: 'Session zero', body: 'Lines: no spiders. ✓ Unicode — “quotes”.' } });
  const session = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Into the citadel' } });
  await call('POST', `/api/sessions/${session.body.id}/start`, { token: t.gm.token });
  await call('POST', `/api/sessions/${session.body.id}/messages`, { token: t.player.token, body: { type: 'chat', text: 'I kick the door' } });
  await call('POST', `/api/sessions/${session.body.id}/messages`, { token: t.gm.token, body: { type: 'roll', expression: '1d20+5' } });
  const book = await uploadPdf(t.gm, t.campaignId, fixture('srd-small.pdf'));
  await waitForIngestion(t.gm, t.campaignId, book.body.id);
}, 120_000);

describe('backups', () => {
  it('an operator starts one; the queue steps finish it; it is listed with age and size and shows in status and /metrics', async () => {
    expect(isProblem(await call('POST', '/api/admin/backups', { token: t.gm.token }), 403)).toBe(true);
    // One run at a time.
    await env.DB.prepare("INSERT INTO backup_runs (id, trigger, started_at, schema, progress) VALUES ('busy', 'cron', ?, '0006_backups', '{\"tables\":[],\"skipped\":[]}')").bind(new Date().toISOString()).run();
    expect(isProblem(await call('POST', '/api/admin/backups', { token: operator.token }), 409)).toBe(true);
    await env.DB.prepare("DELETE FROM backup_runs WHERE id = 'busy'").run();
    const started = await call('POST', '/api/admin/backups', { token: operator.token });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', trigger: 'operator' });
    let run: any;
    for (let i = 0; i < 150; i++) {
      run = (await call('GET', '/api/admin/backups', { token: operator.token })).body.items.find((r: { id: string }) => r.id === started.body.id);
      if (run.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(run).toMatchObject({ status: 'done', error: null, manifest: manifestKey(started.body.id) });
    expect(run.sizeBytes).toBeGreaterThan(1000);
    expect(run.rows).toBeGreaterThan(50);
    expect(run.ageSeconds).toBeGreaterThanOrEqual(0);

    const manifest = await sealedManifest(started.body.id);
    expect(manifest.schema).toBe(env.TEST_MIGRATIONS.at(-1)!.name.replace(/\.sql$/, ''));
    expect(manifest.skipped).toEqual(expect.arrayContaining(['rulebook_chunks_fts', 'session_recaps_fts']));
    expect(manifest.tables.map((x) => x.name)).not.toContain('backup_runs');
    // Parents before children: a restore can insert in this order.
    const order = manifest.tables.map((x) => x.name);
    expect(order.indexOf('campaigns')).toBeLessThan(order.indexOf('characters'));
    expect(order.indexOf('users')).toBeLessThan(order.indexOf('memberships'));
    expect(manifest.files.some((f) => f.key.startsWith(`rulebooks/${t.campaignId}/`))).toBe(true);
    // The plaintext summary says nothing a reader could misuse: counts, no rows.
    const summary = await (await env.FILES.get(`backups/${started.body.id}/manifest.json`))!.json<Record<string, unknown>>();
    expect(JSON.stringify(summary)).not.toContain(t.gm.email);

    const status = await call('GET', '/api/admin/status', { token: operator.token });
    expect(status.body.backups).toMatchObject({ enabled: true, lastSuccessful: { status: 'done' } });
    const metrics = await call('GET', '/metrics', { headers: { authorization: `Bearer ${env.METRICS_TOKEN}` } });
    expect(metrics.body).toMatch(/lorekeeper_backup_last_success_timestamp_seconds \d+/);
    expect(metrics.body).toMatch(/lorekeeper_backup_last_result\{status="done"\} 1/);
  });

  it('backup → wipe → restore gives every table back row for row, and rules search works again', async () => {
    const before = await snapshot();
    const { id, steps } = await backUpInSteps();
    expect(steps).toBeGreaterThan(3);
    const manifest = await sealedManifest(id);
    expect(manifest.tables.find((x) => x.name === 'rulebook_chunks')!.parts.length).toBeGreaterThan(3);
    // No object in R2 is readable without the key.
    const part = await env.FILES.get(manifest.tables.find((x) => x.name === 'users')!.parts[0]!.key);
    expect(new TextDecoder().decode(await part!.arrayBuffer())).not.toContain(t.gm.email);

    await wipe();
    expect(await rowCount()).toBe(0);
    const report = await restoreBackup(source, env.DB, { backupId: id, identity: identity() });
    expect([...report.rebuilt].sort()).toEqual(['rulebook_chunks_fts', 'session_recaps_fts']);
    expect(await snapshot()).toEqual(before);
    // The FTS index answers again, and the restored accounts still sign in.
    const search = await call('GET', `/api/campaigns/${t.campaignId}/rules/search?q=grapple`, { token: t.gm.token });
    expect(search.status).toBe(200);
    expect(search.body.hits.length).toBeGreaterThan(0);
    const login = await call('POST', '/api/auth/login', { body: { email: t.player.email, password: t.player.password } });
    expect(login.status).toBe(200);
  });

  it('refuses a wrong key, an altered or truncated or swapped part, a missing manifest, a newer schema and a non-empty database, changing nothing', async () => {
    const { id } = await backUpInSteps();
    const manifest = await sealedManifest(id);
    const users = manifest.tables.find((x) => x.name === 'users')!.parts[0]!;
    const rows = await rowCount();
    const refused = async (src: BackupSource, options: { identity?: string; force?: boolean } = {}, db: D1Database = env.DB) => {
      const err = await restoreBackup(src, db, { backupId: id, identity: options.identity ?? identity(), force: options.force ?? true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RestoreRefused);
      return (err as Error).message;
    };
    const replacing = (key: string, bytes: (b: Uint8Array) => Uint8Array): BackupSource => ({
      get: async (k) => {
        const object = await env.FILES.get(k);
        if (!object) return null;
        if (k !== key) return object.body;
        return new Response(bytes(new Uint8Array(await object.arrayBuffer()))).body;
      },
    });

    expect(await refused(source, { identity: (await generateKeyPair()).identity })).toMatch(/key does not open/);
    expect(await refused(replacing(users.key, (b) => { const c = b.slice(); c[c.length - 40]! ^= 1; return c; }))).toMatch(/does not open/);
    expect(await refused(replacing(users.key, (b) => b.slice(0, b.length - 20)))).toMatch(/does not open/);
    // A valid part of another table in this one's place.
    const other = manifest.tables.find((x) => x.name === 'campaigns')!.parts[0]!;
    expect(await refused({ get: (k) => source.get(k === users.key ? other.key : k) })).toMatch(/checksum|another backup/);
    expect(await refused({ get: (k) => (k === manifestKey(id) ? Promise.resolve(null) : source.get(k)) })).toMatch(/No manifest/);
    // A manifest from a newer schema, sealed with the right key.
    const newer = await sealBytes(new TextEncoder().encode(JSON.stringify({ ...manifest, schema: '9999_from_the_future' })), env.BACKUP_RECIPIENT!);
    expect(await refused({ get: (k) => (k === manifestKey(id) ? Promise.resolve(new Response(newer).body) : source.get(k)) })).toMatch(/newer schema/);
    // Without --force, a database with content is left alone.
    expect(await refused(source, { force: false })).toMatch(/not empty/);
    expect(await rowCount()).toBe(rows);

    // And with --force, the same backup replaces the content.
    const before = await snapshot();
    await call('POST', `/api/campaigns/${t.campaignId}/notes`, { token: t.gm.token, body: { title: 'Written after the backup', body: 'gone after restore' } });
    await restoreBackup(source, env.DB, { backupId: id, identity: identity(), force: true });
    expect(await snapshot()).toEqual(before);
  });

  it('runs nightly from the cron, and keeps 30 daily and 12 monthly backups', async () => {
    const ctx = createExecutionContext();
    const at = Date.now();
    await worker.scheduled!(createScheduledController({ cron: '17 3 * * *', scheduledTime: at }), env, ctx);
    await waitOnExecutionContext(ctx);
    let runs: any[] = [];
    for (let i = 0; i < 150; i++) {
      runs = (await call('GET', '/api/admin/backups', { token: operator.token })).body.items;
      if (runs[0].trigger === 'cron' && runs[0].status !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(runs[0]).toMatchObject({ trigger: 'cron', status: 'done' });

    // 400 old runs, one a day: after the next backup only the newest per day (30) and per month (12) remain.
    const day = 86_400_000;
    const insert = Array.from({ length: 400 }, (_, i) => env.DB.prepare("INSERT INTO backup_runs (id, status, trigger, started_at, finished_at, schema, progress) VALUES (?, 'done', 'cron', ?, ?, '0006_backups', '{\"tables\":[],\"skipped\":[]}')")
      .bind(`old-${i}`, new Date(at - (i + 1) * day).toISOString(), new Date(at - (i + 1) * day).toISOString()));
    await env.DB.batch(insert);
    await env.FILES.put('backups/old-200/manifest.json', '{}');
    await backUpInSteps({ queries: 30, partBytes: 8 * 1024 * 1024, pageRows: 500, pageBytes: 2 * 1024 * 1024 });
    const left = (await env.DB.prepare("SELECT id, started_at FROM backup_runs WHERE status = 'done' ORDER BY started_at DESC").all<{ id: string; started_at: string }>()).results;
    const days = new Set(left.map((r) => r.started_at.slice(0, 10)));
    const months = new Set(left.map((r) => r.started_at.slice(0, 7)));
    expect(days.size).toBe(left.length);
    expect(left.length).toBeLessThanOrEqual(30 + 12);
    expect(months.size).toBeGreaterThanOrEqual(12);
    // A pruned backup's objects are gone too.
    expect(left.some((r) => r.id === 'old-200')).toBe(false);
    expect(await env.FILES.get('backups/old-200/manifest.json')).toBeNull();
  });
});
