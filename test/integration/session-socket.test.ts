import { env } from 'cloudflare:workers';
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, isProblem } from '../support/api';
import { liveTable } from '../support/live-table';
import { connect, sleep, upgrade, type TableClient } from '../support/socket';
import { gameSessionStub } from '../../src/session/stub';

const chats = (c: TableClient) => c.ofType('chat').map((e) => e.text);

describe('table broadcast', () => {
  it('delivers chat to everyone with increasing seq and acks the sender after it is stored', async () => {
    const t = await liveTable();
    const [gm, alice, bob, watcher] = await Promise.all([
      connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice'), connect(t.otherPlayer, t.sessionId, 'bob'), connect(t.spectator, t.sessionId, 'watcher'),
    ]);
    const ack = await alice.request({ type: 'chat', text: 'Hello, table', mode: 'ooc' });
    expect(ack.type).toBe('ack');
    const hello = await Promise.all([gm, bob, watcher, alice].map((c) => c.waitFor((e) => e.type === 'chat')));
    expect(hello.map((e) => e.seq)).toEqual(Array(4).fill(ack.seqs[0]));
    expect(hello[0]).toMatchObject({ v: 1, text: 'Hello, table', actor: { userId: t.player.id } });

    await bob.request({ type: 'chat', text: 'In character!', characterId: undefined, mode: 'ic' });
    const ic = await alice.request({ type: 'chat', text: 'Tamsin speaks', characterId: t.tamsinId });
    const said = await gm.waitFor((e) => e.type === 'chat' && e.seq === ic.seqs[0]);
    expect(said).toMatchObject({ mode: 'ic', character: { id: t.tamsinId, name: 'Tamsin' } });
    const seqs = gm.ofType('chat').map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(3);
    // Players cannot speak as someone else's character.
    const stolen = await bob.request({ type: 'chat', text: 'I am Tamsin', characterId: t.tamsinId });
    expect(stolen).toMatchObject({ type: 'error', code: 'forbidden' });
    for (const c of [gm, alice, bob, watcher]) c.close();
  });

  it('whispers reach only their target; whispers to the GM reach the GMs', async () => {
    const t = await liveTable();
    const [gm, alice, bob] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice'), connect(t.otherPlayer, t.sessionId, 'bob')]);
    await alice.request({ type: 'whisper', to: t.otherPlayer.id, text: 'psst, bob' });
    await alice.request({ type: 'whisper', to: 'gm', text: 'I pocket the gem' });
    await bob.waitFor((e) => e.type === 'whisper');
    await gm.waitFor((e) => e.type === 'whisper');
    await alice.request({ type: 'chat', text: 'marker' });
    await Promise.all([gm, bob].map((c) => c.waitFor((e) => e.text === 'marker')));
    expect(bob.ofType('whisper').map((e) => e.text)).toEqual(['psst, bob']);
    expect(gm.ofType('whisper').map((e) => e.text)).toEqual(['I pocket the gem']);
    expect(alice.ofType('whisper').map((e) => e.text)).toEqual(['psst, bob', 'I pocket the gem']);
    const nobody = await alice.request({ type: 'whisper', to: t.outsider.id, text: 'hello?' });
    expect(nobody).toMatchObject({ type: 'error', code: 'not_found' });
    for (const c of [gm, alice, bob]) c.close();
  });

  it('rolls 4d6kh3 for everyone and hidden rolls for the GM only', async () => {
    const t = await liveTable();
    const [gm, alice, bob] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice'), connect(t.otherPlayer, t.sessionId, 'bob')]);
    await alice.request({ type: 'roll', expression: '4d6kh3 # Strength' });
    const seen = await bob.waitFor((e) => e.type === 'roll');
    expect(seen.label).toBe('Strength');
    expect(seen.groups[0].dice).toHaveLength(4);
    expect(seen.groups[0].dice.filter((d: { kept: boolean }) => !d.kept)).toHaveLength(1);
    const kept = seen.groups[0].dice.filter((d: { kept: boolean }) => d.kept).map((d: { value: number }) => d.value);
    expect(seen.total).toBe(kept.reduce((a: number, b: number) => a + b, 0));

    await alice.request({ type: 'roll', expression: '1d20+3', hidden: true });
    await gm.waitFor((e) => e.type === 'roll' && e.hidden === true);
    await alice.request({ type: 'chat', text: 'marker' });
    await bob.waitFor((e) => e.text === 'marker');
    expect(bob.ofType('roll')).toHaveLength(1);

    const bad = await alice.request({ type: 'roll', expression: '1d0' });
    expect(bad).toMatchObject({ type: 'error', code: 'invalid_roll' });
    expect(bad.message).toMatch(/sides/);
    for (const c of [gm, alice, bob]) c.close();
  });

  it('refuses GM-only actions from players and everything from spectators, to that socket only', async () => {
    const t = await liveTable();
    const [gm, alice, watcher] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice'), connect(t.spectator, t.sessionId, 'watcher')]);
    for (const msg of [{ type: 'scene.set', text: 'A dark cave' }, { type: 'initiative.start' }, { type: 'ready.start' }, { type: 'initiative.add', kind: 'monster', name: 'Goblin' }]) {
      expect(await alice.request(msg)).toMatchObject({ type: 'error', code: 'forbidden' });
    }
    expect(await watcher.request({ type: 'chat', text: 'can I play?' })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await watcher.request({ type: 'roll', expression: '1d20' })).toMatchObject({ type: 'error', code: 'forbidden' });
    await gm.request({ type: 'scene.set', text: 'The citadel gates' });
    await watcher.waitFor((e) => e.type === 'scene');
    expect(gm.ofType('error')).toHaveLength(0);
    expect(watcher.ofType('scene').map((e) => e.text)).toEqual(['The citadel gates']);
    for (const c of [gm, alice, watcher]) c.close();
  });
});

describe('initiative at the table', () => {
  it('runs combat live: monsters show exact HP to the GM and a band to players', async () => {
    const t = await liveTable();
    const [gm, alice] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice')]);
    const goblin = await gm.request({ type: 'initiative.add', kind: 'monster', name: 'Goblin', initiative: 12, hp: { max: 7 }, armorClass: 15 });
    expect(goblin.type).toBe('ack');
    expect(await alice.request({ type: 'initiative.add', kind: 'character', characterId: t.tamsinId, initiative: 18 })).toMatchObject({ type: 'ack' });
    await gm.request({ type: 'initiative.start' });
    const started = await alice.waitFor((e) => e.type === 'initiative' && e.action === 'initiative.start');
    const order = started.encounter.combatants;
    const monster = order.find((c: { name: string }) => c.name === 'Goblin');
    expect(monster.hp).toBeNull();
    expect(monster.armorClass).toBeNull();
    expect(monster.health).toBe('healthy');
    const gmView = gm.events.find((e) => e.type === 'initiative' && e.action === 'initiative.start')!;
    expect(gmView.encounter.combatants.find((c: { name: string }) => c.name === 'Goblin').hp).toEqual({ current: 7, max: 7, temp: 0 });
    expect(started.encounter.round).toBe(1);
    const tamsin = order.find((c: { name: string }) => c.name === 'Tamsin');
    expect(started.encounter.currentId).toBe(tamsin.id);
    expect(tamsin.hp).toEqual({ current: 17, max: 17, temp: 0 });

    expect(await alice.request({ type: 'turn.use', resource: 'action' })).toMatchObject({ type: 'ack' });
    expect(await alice.request({ type: 'turn.use', resource: 'action' })).toMatchObject({ type: 'error', code: 'invalid_action' });
    await gm.request({ type: 'initiative.hp', combatantId: monster.id, damage: 4 });
    const hurt = await alice.waitFor((e) => e.type === 'initiative' && e.action === 'initiative.hp');
    expect(hurt.encounter.combatants.find((c: { name: string }) => c.name === 'Goblin').health).toBe('bloodied');
    expect(await alice.request({ type: 'initiative.next' })).toMatchObject({ type: 'ack' });
    // Now the goblin's turn: the player cannot end it.
    expect(await alice.request({ type: 'initiative.next' })).toMatchObject({ type: 'error', code: 'forbidden' });
    await gm.request({ type: 'condition.add', combatantId: tamsin.id, name: 'frightened', duration: { kind: 'rounds', rounds: 1 } });
    await gm.request({ type: 'initiative.next' });
    const round2 = await alice.waitFor((e) => e.type === 'initiative' && e.detail?.round === 2);
    expect(round2.detail.newRound).toBe(true);
    await gm.request({ type: 'initiative.end' });
    await alice.waitFor((e) => e.type === 'initiative' && e.action === 'initiative.end');
    for (const c of [gm, alice]) c.close();
  });
});

describe('nothing is lost', () => {
  it('a reconnecting client receives exactly what it missed', async () => {
    const t = await liveTable();
    const [gm, alice] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice')]);
    await gm.request({ type: 'chat', text: 'before' });
    await alice.waitFor((e) => e.text === 'before');
    const lastSeq = Math.max(...alice.events.map((e) => e.seq));
    alice.close();
    for (const text of ['missed 1', 'missed 2', 'missed 3']) await gm.request({ type: 'chat', text });
    await gm.request({ type: 'roll', expression: '1d20', hidden: true });
    const back = await connect(t.player, t.sessionId, 'alice again', { lastSeq });
    await back.waitFor((e) => e.type === 'resumed');
    expect(chats(back)).toEqual(['missed 1', 'missed 2', 'missed 3']);
    expect(back.ofType('roll')).toHaveLength(0);
    expect(back.ofType('snapshot')).toHaveLength(0);
    // A new client (no lastSeq) gets a snapshot instead.
    const fresh = await connect(t.otherPlayer, t.sessionId, 'bob');
    fresh.send({ type: 'hello' });
    await fresh.waitFor((e) => e.type === 'snapshot');
    for (const c of [gm, back, fresh]) c.close();
  });

  it('state survives the object being evicted and restarted', async () => {
    const t = await liveTable();
    const gm = await connect(t.gm, t.sessionId, 'gm');
    await gm.request({ type: 'scene.set', text: 'Ruined courtyard' });
    await gm.request({ type: 'initiative.add', kind: 'monster', name: 'Dragon', initiative: 20, hp: { max: 30 } });
    const before = await gm.request({ type: 'note.add', category: 'loot', text: '3 gold' });
    gm.close();
    const stub = gameSessionStub(env, t.sessionId);
    await evictDurableObject(stub, { webSockets: 'close' });
    const again = await connect(t.gm, t.sessionId, 'gm again');
    again.send({ type: 'hello' });
    const snapshot = await again.waitFor((e) => e.type === 'snapshot');
    expect(snapshot.scene).toBe('Ruined courtyard');
    expect(snapshot.encounter.combatants.map((c: { name: string }) => c.name)).toEqual(['Dragon']);
    expect(snapshot.notes.map((n: { text: string }) => n.text)).toEqual(['3 gold']);
    const after = await again.request({ type: 'chat', text: 'still here' });
    expect(after.seqs[0]).toBeGreaterThan(before.seqs[0]);
    again.close();
  });

  it('flushes the log to D1 by alarm once the table is quiet, idempotently, and at session end', async () => {
    const t = await liveTable();
    const gm = await connect(t.gm, t.sessionId, 'gm');
    for (let i = 0; i < 5; i++) await gm.request({ type: 'chat', text: `line ${i}` });
    const stub = gameSessionStub(env, t.sessionId);
    const count = async () => (await env.DB.prepare('SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi FROM session_events WHERE session_id = ?').bind(t.sessionId).first<{ n: number; lo: number; hi: number }>())!;
    // While the table is busy the copy waits for a lull (the alarm is set again)…
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await count()).n).toBe(0);
    // …and is made once nothing has happened for two seconds.
    await sleep(2_100);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await count()).n).toBe(5);
    // Pretend the object died after D1 committed but before it recorded the flush.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE meta SET value = '0' WHERE key = 'flushedThrough'");
    });
    expect(await stub.flush()).toBe(5);
    expect((await count()).n).toBe(5);
    await gm.request({ type: 'chat', text: 'last words' });
    const ended = await call('POST', `/api/sessions/${t.sessionId}/end`, { token: t.gm.token });
    expect(ended.body.status).toBe('ended');
    // The session's statistics close the log.
    const final = await count();
    expect(final).toMatchObject({ n: 7, lo: 1, hi: 7 });
    const last = await env.DB.prepare('SELECT type FROM session_events WHERE session_id = ? AND seq = 7').bind(t.sessionId).first<{ type: string }>();
    expect(last?.type).toBe('session.stats');
    await gm.waitFor((e) => e.type === 'ended');
    const late = await call('POST', `/api/sessions/${t.sessionId}/tickets`, { token: t.player.token });
    expect(isProblem(late, 409)).toBe(true);
  });
});

describe('HTTP fallback and history', () => {
  it('posts chat and rolls over HTTP, seen live, and pages history with visibility', async () => {
    const t = await liveTable();
    const bob = await connect(t.otherPlayer, t.sessionId, 'bob');
    const posted = await call('POST', `/api/sessions/${t.sessionId}/messages`, { token: t.player.token, body: { type: 'chat', text: 'from HTTP' } });
    expect(posted.status).toBe(201);
    expect(posted.body.events[0]).toMatchObject({ type: 'chat', text: 'from HTTP' });
    await bob.waitFor((e) => e.text === 'from HTTP');
    const hidden = await call('POST', `/api/sessions/${t.sessionId}/messages`, { token: t.player.token, body: { type: 'roll', expression: '2d20kh1', hidden: true } });
    expect(hidden.body.events[0]).toMatchObject({ type: 'roll', hidden: true });
    const bad = await call('POST', `/api/sessions/${t.sessionId}/messages`, { token: t.player.token, body: { type: 'roll', expression: '1d20+' } });
    expect(isProblem(bad, 400)).toBe(true);
    // Every table action works over HTTP, under the same rules (setting the scene is the GM's); socket-only frames do not.
    expect(isProblem(await call('POST', `/api/sessions/${t.sessionId}/messages`, { token: t.player.token, body: { type: 'scene.set', text: 'x' } }), 403)).toBe(true);
    expect(isProblem(await call('POST', `/api/sessions/${t.sessionId}/messages`, { token: t.player.token, body: { type: 'typing', typing: true } }), 400)).toBe(true);
    for (let i = 0; i < 4; i++) await call('POST', `/api/sessions/${t.sessionId}/messages`, { token: t.gm.token, body: { type: 'chat', text: `gm ${i}` } });

    const asBob = await call('GET', `/api/sessions/${t.sessionId}/messages?limit=3`, { token: t.otherPlayer.token });
    expect(asBob.body.items.map((e: { text?: string }) => e.text)).toEqual(['from HTTP', 'gm 0', 'gm 1']);
    const page2 = await call('GET', `/api/sessions/${t.sessionId}/messages?limit=3&after=${asBob.body.nextAfter}`, { token: t.otherPlayer.token });
    expect(page2.body.items.map((e: { text?: string }) => e.text)).toEqual(['gm 2', 'gm 3']);
    expect(page2.body.nextAfter).toBeNull();
    const asAlice = await call('GET', `/api/sessions/${t.sessionId}/messages?types=roll`, { token: t.player.token });
    expect(asAlice.body.items).toHaveLength(1);
    const asGm = await call('GET', `/api/sessions/${t.sessionId}/messages?types=roll`, { token: t.gm.token });
    expect(asGm.body.items).toHaveLength(1);
    bob.close();
  });
});

describe('tickets and limits', () => {
  it('tickets are single-use and bound to their session', async () => {
    const t = await liveTable();
    const ticket = await call('POST', `/api/sessions/${t.sessionId}/tickets`, { token: t.player.token });
    const first = await upgrade(ticket.body.url);
    expect(first.status).toBe(101);
    first.webSocket!.accept();
    first.webSocket!.close();
    expect((await upgrade(ticket.body.url)).status).toBe(401);
    expect((await upgrade(`/api/sessions/${t.sessionId}/ws`)).status).toBe(401);
    expect((await upgrade(`/api/sessions/${t.sessionId}/ws?ticket=wst_forged`)).status).toBe(401);
    const other = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Other' } });
    await call('POST', `/api/sessions/${other.body.id}/start`, { token: t.gm.token });
    const elsewhere = await call('POST', `/api/sessions/${other.body.id}/tickets`, { token: t.player.token });
    expect((await upgrade(`/api/sessions/${t.sessionId}/ws?ticket=${elsewhere.body.ticket}`)).status).toBe(401);
    const plain = await call('GET', `/api/sessions/${t.sessionId}/ws?ticket=${elsewhere.body.ticket}`);
    expect(plain.status).toBe(426);
  });

  it('caps sockets per user and per table, keeps seats for members and one for the GM; caps live sessions with 503 + Retry-After', async () => {
    const t = await liveTable();
    const tryUpgrade = async (user: typeof t.gm) => upgrade((await call('POST', `/api/sessions/${t.sessionId}/tickets`, { token: user.token })).body.url);
    const clients = [];
    // One player cannot fill the table (issue 10, defect 3): four sockets each (MAX_SOCKETS_PER_USER).
    for (let i = 0; i < 4; i++) clients.push(await connect(t.player, t.sessionId, `alice tab ${i}`));
    const fifth = await tryUpgrade(t.player);
    expect(fifth.status).toBe(429);
    expect((await fifth.json() as { detail: string }).detail).toMatch(/already have 4 connections/);
    // Spectators may fill three quarters of the 8 seats; the rest are kept for members.
    for (let i = 0; i < 2; i++) clients.push(await connect(t.spectator, t.sessionId, `watcher ${i}`));
    const kept = await tryUpgrade(t.spectator);
    expect(kept.status).toBe(503);
    expect((await kept.json() as { detail: string }).detail).toMatch(/kept for players/);
    for (let i = 0; i < 2; i++) clients.push(await connect(t.otherPlayer, t.sessionId, `bob tab ${i}`));
    const full = await tryUpgrade(t.otherPlayer);
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('30');
    // The GM always gets in.
    clients.push(await connect(t.gm, t.sessionId, 'gm'));
    for (const c of clients) c.close();

    const second = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Two' } });
    expect((await call('POST', `/api/sessions/${second.body.id}/start`, { token: t.gm.token })).status).toBe(200);
    const third = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Three' } });
    const refused = await call('POST', `/api/sessions/${third.body.id}/start`, { token: t.gm.token });
    expect(isProblem(refused, 503)).toBe(true);
    expect(refused.headers.get('retry-after')).toBe('60');

    // Fill the platform up to MAX_LIVE_TABLES with other campaigns' live sessions.
    const other = await call('POST', '/api/campaigns', { token: t.outsider.token, body: { name: 'Elsewhere' } });
    await env.DB.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
      INSERT INTO game_sessions (id, campaign_id, title, status) SELECT 'filler-' || i, ?, 'filler', 'live' FROM n`).bind(t.otherCampaignId).run();
    const mine = await call('POST', `/api/campaigns/${other.body.id}/sessions`, { token: t.outsider.token, body: { title: 'Mine' } });
    const busy = await call('POST', `/api/sessions/${mine.body.id}/start`, { token: t.outsider.token });
    expect(isProblem(busy, 503)).toBe(true);
    expect(busy.body.detail).toMatch(/All tables are busy/);
    await env.DB.prepare("DELETE FROM game_sessions WHERE id LIKE 'filler-%'").run();
  });
});

describe('bad frames', () => {
  it('answers each kind of bad frame with a typed error to that socket only', async () => {
    const t = await liveTable();
    const [gm, alice] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice')]);
    alice.send('{not json');
    await alice.waitFor((e) => e.type === 'error' && e.code === 'malformed_json');
    alice.send({ type: 'teleport' });
    await alice.waitFor((e) => e.type === 'error' && e.code === 'unknown_type');
    const invalid = await alice.request({ type: 'chat', text: 42 });
    expect(invalid).toMatchObject({ code: 'invalid_message', errors: [{ path: 'text' }] });
    alice.send({ type: 'chat', text: 'x'.repeat(17 * 1024) });
    await alice.waitFor((e) => e.type === 'error' && e.code === 'frame_too_large');
    alice.send(new Uint8Array([1, 2, 3]).buffer);
    await alice.waitFor((e) => e.type === 'error' && e.code === 'malformed_json' && /JSON text/.test(e.message));
    for (let i = 0; i < 300; i++) alice.send({ type: 'chat', text: `flood ${i}` });
    await alice.waitFor((e) => e.type === 'error' && e.code === 'rate_limited');
    await sleep(1_100);
    const ok = await alice.request({ type: 'chat', text: 'after the flood' });
    expect(ok.type).toBe('ack');
    await gm.waitFor((e) => e.text === 'after the flood');
    expect(gm.ofType('error')).toHaveLength(0);
    expect(alice.closed).toBeNull();
    for (const c of [gm, alice]) c.close();
  });
});

describe('presence', () => {
  it('announces who joins and leaves, and pings are answered without a logged event', async () => {
    const t = await liveTable();
    const gm = await connect(t.gm, t.sessionId, 'gm');
    const alice = await connect(t.player, t.sessionId, 'alice');
    const joined = await gm.waitFor((e) => e.type === 'presence' && e.members.some((m: { userId: string }) => m.userId === t.player.id));
    expect(joined.members.map((m: { status: string }) => m.status)).toEqual(['online', 'online']);
    alice.send({ type: 'ping' });
    await alice.waitFor((e) => e.type === 'pong');
    expect((await gameSessionStub(env, t.sessionId).stats()).lastSeq).toBe(0);
    alice.close();
    await gm.waitFor((e) => e.type === 'presence' && e.members.length === 1);
    const session = await call('GET', `/api/sessions/${t.sessionId}`, { token: t.player.token });
    expect(session.body.table).toMatchObject({ connections: 1, presence: [{ userId: t.gm.id, status: 'online' }] });
    gm.close();
  });
});
