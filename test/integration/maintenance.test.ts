/**
 * Nightly maintenance through the Worker's scheduled handler: expired
 * credentials and invites are purged after their grace period, an abandoned
 * live table is ended (its events kept), old search analytics are trimmed,
 * and the run is audited with its counts. What is still valid is untouched.
 */
import { createExecutionContext, createScheduledController, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../src/index';
import { describe, expect, it } from 'vitest';
import { call } from '../support/api';
import { liveTable } from '../support/live-table';
import { deleteOrphanedFiles } from '../../src/services/rulebooks';
import { systemScope } from '../../src/services/scope';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

describe('maintenance (cron)', () => {
  it('purges what expired, ends abandoned tables, trims analytics, and audits the run', async () => {
    const t = await liveTable();
    const active = await liveTable();
    // An abandoned table: a chat line, then nothing for two days.
    await call('POST', `/api/sessions/${t.sessionId}/messages`, { token: t.player.token, body: { type: 'chat', text: 'Anyone?' } });
    // Reading the history flushes the room's events to D1.
    await call('GET', `/api/sessions/${t.sessionId}/messages`, { token: t.gm.token });
    await env.DB.prepare('UPDATE session_events SET created_at = ? WHERE session_id = ?').bind(daysAgo(2), t.sessionId).run();
    await env.DB.prepare('UPDATE game_sessions SET started_at = ? WHERE id = ?').bind(daysAgo(2), t.sessionId).run();
    // Expired long ago, expired yesterday (still in its grace period), and valid.
    await env.DB.batch([
      env.DB.prepare("INSERT INTO invites (id, campaign_id, code, role, max_uses, uses, expires_at, created_by) VALUES ('inv-old', ?, 'OLD-CODE-1', 'player', 1, 0, ?, ?)").bind(t.campaignId, daysAgo(30), t.gm.id),
      env.DB.prepare("INSERT INTO invites (id, campaign_id, code, role, max_uses, uses, expires_at, created_by) VALUES ('inv-recent', ?, 'NEW-CODE-1', 'player', 1, 0, ?, ?)").bind(t.campaignId, daysAgo(1), t.gm.id),
      env.DB.prepare("INSERT INTO auth_sessions (id, user_id, expires_at) VALUES ('signin-old', ?, ?)").bind(t.player.id, daysAgo(40)),
      env.DB.prepare("INSERT INTO refresh_tokens (id, session_id, token_hash, expires_at) VALUES ('rt-old', 'signin-old', 'hash-old', ?)").bind(daysAgo(40)),
      env.DB.prepare("INSERT INTO search_queries (id, campaign_id, query, normalized, result_count, at) VALUES ('sq-old', ?, 'grapple', 'grapple', 0, ?)").bind(t.campaignId, daysAgo(200)),
      env.DB.prepare("INSERT INTO search_queries (id, campaign_id, query, normalized, result_count, at) VALUES ('sq-new', ?, 'shove', 'shove', 0, ?)").bind(t.campaignId, daysAgo(1)),
    ]);

    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ cron: '17 3 * * *', scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);

    const count = async (sql: string, ...binds: unknown[]) => (await env.DB.prepare(sql).bind(...binds).first<{ n: number }>())!.n;
    expect(await count("SELECT count(*) AS n FROM invites WHERE id IN ('inv-old')")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM invites WHERE id IN ('inv-recent')")).toBe(1);
    expect(await count("SELECT count(*) AS n FROM auth_sessions WHERE id = 'signin-old'")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM refresh_tokens WHERE id = 'rt-old'")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM search_queries WHERE id = 'sq-old'")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM search_queries WHERE id = 'sq-new'")).toBe(1);
    // The abandoned table is ended with its log; the active one plays on; signed-in users stay signed in.
    expect((await call('GET', `/api/sessions/${t.sessionId}`, { token: t.gm.token })).body.status).toBe('ended');
    expect(await count('SELECT count(*) AS n FROM session_events WHERE session_id = ?', t.sessionId)).toBeGreaterThan(0);
    expect((await call('GET', `/api/sessions/${active.sessionId}`, { token: active.gm.token })).body.status).toBe('live');
    expect((await call('GET', '/api/me', { token: t.player.token })).status).toBe(200);

    const run = await env.DB.prepare("SELECT detail FROM audit_events WHERE type = 'maintenance.run' ORDER BY at DESC LIMIT 1").first<{ detail: string }>();
    const detail = JSON.parse(run!.detail);
    expect(detail).toMatchObject({ failed: [] });
    expect(detail.invites).toBeGreaterThanOrEqual(1);
    expect(detail.abandonedTables).toBeGreaterThanOrEqual(1);
  });

  it("deletes rulebook files no rulebook points to, never a book's own file or a recent upload", async () => {
    const t = await liveTable();
    const own = `rulebooks/${t.campaignId}/kept.pdf`;
    await env.FILES.put(own, '%PDF-1.7 a book');
    await env.DB.prepare("INSERT INTO rulebooks (id, campaign_id, title, filename, r2_key, sha256, size_bytes) VALUES ('book-kept', ?, 'Kept', 'kept.pdf', ?, 'x', 15)").bind(t.campaignId, own).run();
    await env.FILES.put(`rulebooks/${t.campaignId}/left-by-a-failed-upload.pdf`, '%PDF-1.7 orphan');
    const scope = systemScope(env);
    // The nightly run looks only at files older than a day: these are too fresh.
    expect(await deleteOrphanedFiles(scope, new Date(Date.now() - 86_400_000))).toBe(0);
    expect(await deleteOrphanedFiles(scope, new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    expect(await env.FILES.head(`rulebooks/${t.campaignId}/left-by-a-failed-upload.pdf`)).toBeNull();
    expect(await env.FILES.head(own)).not.toBeNull();
  });

  it("an ended table's room deletes its copy of the log after ENDED_TABLE_DAYS; D1 keeps it all", async () => {
    const t = await liveTable();
    await call('POST', `/api/sessions/${t.sessionId}/messages`, { token: t.player.token, body: { type: 'chat', text: 'Last words' } });
    await call('POST', `/api/sessions/${t.sessionId}/end`, { token: t.gm.token });
    const stub = env.GAME_SESSION.get(env.GAME_SESSION.idFromName(t.sessionId));
    const events = () => runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM events').one().n);
    expect(await events()).toBeGreaterThan(0);
    // Not yet due: the alarm leaves it alone.
    await runDurableObjectAlarm(stub);
    expect(await events()).toBeGreaterThan(0);
    await runInDurableObject(stub, async (_i, state) => { await state.storage.put('purgeAt', Date.now() - 1); await state.storage.setAlarm(Date.now() + 60_000); });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await events()).toBe(0);
    const history = await call('GET', `/api/sessions/${t.sessionId}/messages`, { token: t.gm.token });
    expect(history.body.items.some((e: { type: string; text?: string }) => e.text === 'Last words')).toBe(true);
  });
});
