/**
 * The live table a GM can run (issue 10): each defect found from outside has a
 * regression test here, through real WebSockets in workerd.
 */
import { describe, expect, it } from 'vitest';
import { call } from '../support/api';
import { liveTable } from '../support/live-table';
import { connect, sleep, type ServerEvent, type TableClient } from '../support/socket';

const texts = (c: TableClient, types = ['chat', 'whisper']) => c.events.filter((e) => types.includes(e.type)).map((e) => e.text as string);
const logged = (c: TableClient) => c.events.filter((e) => typeof e.eventId === 'string');

describe('ordering (defect 1)', () => {
  it('applies frames from one socket in the order sent, even when one waits for a lookup', async () => {
    const t = await liveTable();
    const [alice, bob] = await Promise.all([connect(t.player, t.sessionId, 'alice'), connect(t.otherPlayer, t.sessionId, 'bob')]);
    const sent: string[] = [];
    for (let i = 0; i < 20; i++) {
      // A chat as a character and a whisper to a player each look something up in D1; a plain chat does not.
      alice.send({ type: 'chat', text: `c${i}`, characterId: t.tamsinId });
      alice.send({ type: 'whisper', to: t.otherPlayer.id, text: `w${i}` });
      alice.send({ type: 'chat', text: `p${i}` });
      sent.push(`c${i}`, `w${i}`, `p${i}`);
    }
    await alice.waitFor((e) => e.text === 'p19', 10_000, 'the last frame');
    expect(texts(alice)).toEqual(sent);
    await bob.waitFor((e) => e.text === 'p19');
    expect(texts(bob)).toEqual(sent);
    const seqs = logged(alice).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    alice.close();
    bob.close();
  });
});

describe('membership reaches the room at once (defect 2)', () => {
  it('closes a removed member\'s sockets and tells the table', async () => {
    const t = await liveTable();
    const [gm, alice] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice')]);
    const removed = await call('DELETE', `/api/campaigns/${t.campaignId}/members/${t.player.id}`, { token: t.gm.token });
    expect(removed.status).toBe(204);
    await alice.waitFor((e) => e.type === 'removed');
    for (let i = 0; i < 50 && !alice.closed; i++) await sleep(20);
    expect(alice.closed?.code).toBe(4003);
    const told = await gm.waitFor((e) => e.type === 'member');
    expect(told).toMatchObject({ action: 'removed', user: { userId: t.player.id }, actor: null });
    // The old ticket route no longer lets them in.
    const ticket = await call('POST', `/api/sessions/${t.sessionId}/tickets`, { token: t.player.token });
    expect(ticket.status).toBe(404);
    gm.close();
  });

  it('applies a role change to open sockets at once, with a fresh snapshot', async () => {
    const t = await liveTable();
    const [gm, bob] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.otherPlayer, t.sessionId, 'bob')]);
    expect((await bob.request({ type: 'chat', text: 'still a player' })).type).toBe('ack');
    const changed = await call('PATCH', `/api/campaigns/${t.campaignId}/members/${t.otherPlayer.id}`, { token: t.gm.token, body: { role: 'spectator' } });
    expect(changed.status).toBe(200);
    const welcome = await bob.waitFor((e) => e.type === 'welcome' && e.reason === 'role_changed');
    expect(welcome.you.role).toBe('spectator');
    expect(await bob.waitFor((e) => e.type === 'snapshot' && e.reason === 'role_changed')).toBeTruthy();
    expect(await bob.request({ type: 'chat', text: 'now watching' })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect(await gm.waitFor((e) => e.type === 'member' && e.action === 'role')).toMatchObject({ role: 'spectator', user: { userId: t.otherPlayer.id } });
    gm.close();
    bob.close();
  });
});

describe('nothing hidden shows through (defect 4)', () => {
  it('numbers each viewer\'s events without gaps and stamps ephemeral events with their own watermark', async () => {
    const t = await liveTable();
    const [gm, alice, bob] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice'), connect(t.otherPlayer, t.sessionId, 'bob')]);
    await gm.request({ type: 'chat', text: 'one' });
    await alice.waitFor((e) => e.text === 'one');
    await gm.request({ type: 'roll', expression: '1d20', hidden: true });
    await gm.request({ type: 'whisper', to: t.otherPlayer.id, text: 'secret for bob' });
    await bob.waitFor((e) => e.text === 'secret for bob');
    // An ephemeral event after the hidden ones carries alice's own watermark, not the room's.
    gm.send({ type: 'typing', typing: true });
    const typing = await alice.waitFor((e) => e.type === 'typing');
    expect(typing.seq).toBe(1);
    await gm.request({ type: 'chat', text: 'two' });
    const two = await alice.waitFor((e) => e.text === 'two');
    expect(two.seq).toBe(2);
    expect(logged(alice).map((e) => e.seq)).toEqual([1, 2]);
    expect(logged(bob).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(logged(gm).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    // The session view and the history speak the same numbering.
    const view = await call('GET', `/api/sessions/${t.sessionId}`, { token: t.player.token });
    expect(view.body.table.lastSeq).toBe(2);
    const history = await call('GET', `/api/sessions/${t.sessionId}/messages`, { token: t.player.token });
    expect(history.body.items.map((e: ServerEvent) => [e.seq, e.text])).toEqual([[1, 'one'], [2, 'two']]);
    const page = await call('GET', `/api/sessions/${t.sessionId}/messages?after=1`, { token: t.otherPlayer.token });
    expect(page.body.items.map((e: ServerEvent) => [e.seq, e.text])).toEqual([[2, 'secret for bob'], [3, 'two']]);
    // The same event has one eventId for everyone.
    expect(two.eventId).toBe(gm.events.find((e) => e.text === 'two')!.eventId);
    for (const c of [gm, alice, bob]) c.close();
  });

  it('replays after a reconnect in the viewer\'s own numbering', async () => {
    const t = await liveTable();
    const [gm, alice] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice')]);
    await gm.request({ type: 'chat', text: 'a' });
    await alice.waitFor((e) => e.text === 'a');
    alice.close();
    await gm.request({ type: 'roll', expression: '1d20', hidden: true });
    await gm.request({ type: 'chat', text: 'b' });
    const back = await connect(t.player, t.sessionId, 'alice again', { lastSeq: 1 });
    await back.waitFor((e) => e.type === 'resumed');
    expect(logged(back).map((e) => [e.seq, e.text])).toEqual([[2, 'b']]);
    gm.close();
    back.close();
  });
});

describe('keep-alive (defect 6)', () => {
  it('answers any well-formed ping with a pong that echoes its id', async () => {
    const t = await liveTable();
    const alice = await connect(t.player, t.sessionId, 'alice');
    alice.send('{"type": "ping"}');
    expect(await alice.waitFor((e) => e.type === 'pong')).toMatchObject({ ref: null });
    alice.send({ type: 'ping', id: 'p1' });
    expect(await alice.waitFor((e) => e.type === 'pong' && e.ref === 'p1')).toBeTruthy();
    expect(alice.ofType('error')).toEqual([]);
    alice.close();
  });
});

describe('snapshots say what they are (defect 7)', () => {
  it('gives a client far behind a snapshot with its reason, recent chat and where the rest is', async () => {
    const t = await liveTable();
    const alice = await connect(t.player, t.sessionId, 'alice');
    const fresh = await alice.waitFor((e) => e.type === 'snapshot');
    expect(fresh).toMatchObject({ reason: 'new', recent: [] });
    alice.close();
    // 520 chats from four GM sockets (each socket's burst is 100 frames, then 50 a second).
    const gms = await Promise.all([0, 1, 2, 3].map((i) => connect(t.gm, t.sessionId, `gm ${i}`)));
    for (let i = 0; i < 130; i++) {
      if (i === 100) await sleep(1_200);
      gms.forEach((g, n) => g.send({ type: 'chat', text: `line ${n}-${i}` }));
    }
    await Promise.all(gms.map((g, n) => g.waitFor((e) => e.text === `line ${n}-129`, 15_000, 'the last line')));
    const behind = await connect(t.player, t.sessionId, 'alice again', { lastSeq: 0 });
    const snapshot = await behind.waitFor((e) => e.type === 'snapshot');
    expect(snapshot.reason).toBe('too_far_behind');
    expect(snapshot.recent).toHaveLength(50);
    expect(snapshot.recent.every((e: ServerEvent) => e.type === 'chat')).toBe(true);
    expect(snapshot.recent.at(-1).seq).toBe(520);
    expect(snapshot.seq).toBe(520);
    expect(snapshot.history).toEqual({ url: `/api/sessions/${t.sessionId}/messages`, before: 471 });
    const older = await call('GET', `${snapshot.history.url}?after=0&limit=5`, { token: t.player.token });
    expect(older.body.items.map((e: ServerEvent) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    for (const c of [...gms, behind]) c.close();
  });
});
