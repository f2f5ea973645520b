/**
 * The live table a GM can run (issue 10): each defect found from outside has a
 * regression test here, through real WebSockets in workerd.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { gameSessionStub } from '../../src/session/stub';
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

const SHEET = {
  abilities: { str: 16, dex: 14 }, hp: { max: 17, current: 17 }, armorClass: 12, proficiencyBonus: 2,
  skills: { stealth: 'proficient' }, savingThrows: { dex: true },
  attacks: [{ name: 'Longsword', damage: '1d8', damageType: 'slashing' }],
};

describe('roll privacy', () => {
  it('rolls public, GM-only, blind and self, and the GM reveals a hidden roll later', async () => {
    const t = await liveTable();
    const [gm, alice, bob] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice'), connect(t.otherPlayer, t.sessionId, 'bob')]);
    const blind = await alice.request({ type: 'roll', expression: '1d20+2 # Insight', visibility: 'blind' });
    const atGm = await gm.waitFor((e) => e.type === 'roll' && e.visibility === 'blind');
    expect(typeof atGm.total).toBe('number');
    const own = await alice.waitFor((e) => e.type === 'roll' && e.visibility === 'blind');
    expect(own).toMatchObject({ total: null, groups: [], text: expect.stringMatching(/Blind roll/) });
    await alice.request({ type: 'roll', expression: '1d6', visibility: 'self' });
    await alice.waitFor((e) => e.type === 'roll' && e.visibility === 'self');
    const secret = await alice.request({ type: 'roll', expression: '1d20', visibility: 'gm' });
    await alice.request({ type: 'chat', text: 'marker' });
    await Promise.all([gm, bob].map((c) => c.waitFor((e) => e.text === 'marker')));
    expect(bob.ofType('roll')).toHaveLength(0);
    expect(gm.ofType('roll').map((e) => e.visibility)).toEqual(['blind', 'gm']);
    // A blind roll cannot be revealed by its roller; the GM can reveal it, and the roller their own GM-only roll.
    expect(await alice.request({ type: 'roll.reveal', eventId: blind.eventIds[0] })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect((await gm.request({ type: 'roll.reveal', eventId: blind.eventIds[0] })).type).toBe('ack');
    const revealed = await bob.waitFor((e) => e.type === 'roll.revealed');
    expect(revealed).toMatchObject({ of: blind.eventIds[0], roll: { total: atGm.total, label: 'Insight', actor: { userId: t.player.id } } });
    expect((await alice.request({ type: 'roll.reveal', eventId: secret.eventIds[0] })).type).toBe('ack');
    expect(await bob.request({ type: 'roll.reveal', eventId: secret.eventIds[0] })).toMatchObject({ type: 'error', code: 'not_found' });
    for (const c of [gm, alice, bob]) c.close();
  });
});

describe('rolls from the sheet and the tracker', () => {
  it('rolls a check, a save and an attack with the sheet\'s numbers and conditions, and monsters from their stat blocks', async () => {
    const t = await liveTable(SHEET);
    const [gm, alice] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice')]);
    await alice.request({ type: 'check', characterId: t.tamsinId, check: 'Stealth' });
    const stealth = await gm.waitFor((e) => e.type === 'roll' && e.check?.label === 'Stealth check');
    expect(stealth).toMatchObject({ expression: '1d20+4', character: { id: t.tamsinId }, check: { kind: 'skill', parts: [{ source: 'Dexterity', value: 2 }, { source: 'Proficiency', value: 2 }] } });
    await alice.request({ type: 'check', characterId: t.tamsinId, check: 'Longsword attack' });
    const attack = await gm.waitFor((e) => e.type === 'roll' && e.check?.kind === 'attack');
    expect(attack.expression).toBe('1d20+5');
    // A natural 1 misses (no damage); a natural 20 doubles the damage dice, not the modifier.
    if (attack.fumble) expect(attack.damage).toBeNull();
    else expect(attack.damage).toMatchObject({ notation: '1d8+3', type: 'slashing', groups: [{ notation: attack.critical ? '2d8' : '1d8' }] });
    // Conditions from the tracker give disadvantage.
    const added = await alice.request({ type: 'initiative.add', kind: 'character', characterId: t.tamsinId });
    const pc = (await gm.waitFor((e) => e.type === 'initiative' && e.action === 'initiative.add')).detail.combatantId;
    expect(added.type).toBe('ack');
    await gm.request({ type: 'condition.add', combatantId: pc, name: 'poisoned' });
    await alice.request({ type: 'check', combatantId: pc, check: 'Stealth' });
    const poisoned = await gm.waitFor((e) => e.type === 'roll' && e.check?.mode === 'disadvantage');
    expect(poisoned).toMatchObject({ expression: '2d20kl1+4', check: { reasons: ['poisoned: disadvantage on ability checks'] } });
    expect(await alice.request({ type: 'check', characterId: t.tamsinId, check: 'Fireball' })).toMatchObject({ type: 'error', code: 'invalid_roll', message: expect.stringMatching(/no skill, ability, save or attack called "Fireball"/) });

    // Three goblins on one initiative roll, each with the stat block; players never see the numbers.
    await gm.request({
      type: 'initiative.add', kind: 'monster', name: 'Goblin', count: 3, bonus: 2, hp: { max: 7 }, armorClass: 15,
      stats: { abilities: { dex: 14 }, skills: { stealth: 6 }, attacks: [{ name: 'Scimitar', bonus: 4, damage: '1d6+2', damageType: 'slashing' }] },
    });
    const group = await gm.waitFor((e) => e.type === 'initiative' && e.detail?.group);
    const goblins = group.encounter.combatants.filter((c: { group: string | null }) => c.group === group.detail.group);
    expect(goblins.map((g: { name: string }) => g.name)).toEqual(['Goblin 1', 'Goblin 2', 'Goblin 3']);
    expect(new Set(goblins.map((g: { initiative: number }) => g.initiative)).size).toBe(1);
    const seen = await alice.waitFor((e) => e.type === 'initiative' && e.detail?.group);
    expect(seen.encounter.combatants.filter((c: { kind: string }) => c.kind === 'monster').every((c: { stats: unknown; hp: unknown }) => c.stats === null && c.hp === null)).toBe(true);
    await gm.request({ type: 'check', combatantId: goblins[0].id, check: 'Scimitar attack', visibility: 'gm' });
    expect(await gm.waitFor((e) => e.type === 'roll' && e.roller === 'Goblin 1')).toMatchObject({ expression: '1d20+4' });
    expect(await alice.request({ type: 'check', combatantId: goblins[0].id, check: 'stealth' })).toMatchObject({ type: 'error', code: 'forbidden' });
    gm.close();
    alice.close();
  });
});

describe('GM moderation', () => {
  it('removes a message (kept in history as removed), mutes for a while, removes someone from the table and lets them back', async () => {
    const t = await liveTable();
    const [gm, alice, bob] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice'), connect(t.otherPlayer, t.sessionId, 'bob')]);
    const rude = await bob.request({ type: 'chat', text: 'something rude' });
    // Already copied to D1 before the GM removes it: the mark must reach D1 too.
    expect(await gameSessionStub(env, t.sessionId).flush()).toBeGreaterThan(0);
    expect((await gm.request({ type: 'message.remove', eventId: rude.eventIds[0], reason: 'table rules' })).type).toBe('ack');
    expect(await alice.waitFor((e) => e.type === 'moderation')).toMatchObject({ action: 'removed', of: rude.eventIds[0], actor: { userId: t.gm.id } });
    const forAlice = await call('GET', `/api/sessions/${t.sessionId}/messages?types=chat`, { token: t.player.token });
    expect(forAlice.body.items[0]).toMatchObject({ text: null, removed: { by: { userId: t.gm.id }, reason: 'table rules' } });
    const forGm = await call('GET', `/api/sessions/${t.sessionId}/messages?types=chat`, { token: t.gm.token });
    expect(forGm.body.items[0]).toMatchObject({ text: 'something rude', removed: { reason: 'table rules' } });
    expect(await alice.request({ type: 'message.remove', eventId: rude.eventIds[0] })).toMatchObject({ type: 'error', code: 'forbidden' });

    await gm.request({ type: 'player.mute', userId: t.otherPlayer.id, minutes: 5 });
    expect(await bob.request({ type: 'chat', text: 'hello?' })).toMatchObject({ type: 'error', code: 'muted', message: expect.stringMatching(/muted you until .* UTC/) });
    expect((await bob.request({ type: 'whisper', to: 'gm', text: 'sorry' })).type).toBe('ack');
    await gm.request({ type: 'player.unmute', userId: t.otherPlayer.id });
    expect((await bob.request({ type: 'chat', text: 'thanks' })).type).toBe('ack');
    expect(await gm.request({ type: 'player.mute', userId: t.gm.id })).toMatchObject({ type: 'error' });

    await gm.request({ type: 'player.kick', userId: t.otherPlayer.id, reason: 'take a break' });
    expect(await bob.waitFor((e) => e.type === 'removed')).toMatchObject({ reason: 'take a break', from: 'table' });
    for (let i = 0; i < 50 && !bob.closed; i++) await sleep(20);
    expect(bob.closed?.code).toBe(4001);
    await expect(connect(t.otherPlayer, t.sessionId, 'bob again')).rejects.toThrow(/403/);
    await gm.request({ type: 'player.admit', userId: t.otherPlayer.id });
    const back = await connect(t.otherPlayer, t.sessionId, 'bob again');
    expect(alice.ofType('moderation').map((e) => e.action)).toEqual(['removed', 'muted', 'unmuted', 'kicked', 'admitted']);
    for (const c of [gm, alice, back]) c.close();
  });
});

describe('safety tools and table stats', () => {
  it('lets anyone tap the X-card anonymously', async () => {
    const t = await liveTable();
    const [gm, alice] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice')]);
    expect((await alice.request({ type: 'safety.xcard' })).type).toBe('ack');
    const tapped = await gm.waitFor((e) => e.type === 'safety');
    expect(tapped).toMatchObject({ action: 'xcard', actor: null });
    expect(JSON.stringify(tapped)).not.toContain(t.player.id);
    const history = await call('GET', `/api/sessions/${t.sessionId}/messages?types=safety`, { token: t.gm.token });
    expect(JSON.stringify(history.body.items)).not.toContain(t.player.id);
    gm.close();
    alice.close();
  });

  it('counts natural 20s and 1s, crits and damage per player and shows them at the end', async () => {
    const t = await liveTable();
    const [gm, alice] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice')]);
    for (let i = 0; i < 5; i++) await alice.request({ type: 'roll', expression: '1d20' });
    await alice.request({ type: 'initiative.add', kind: 'character', characterId: t.tamsinId });
    const pc = (await gm.waitFor((e) => e.type === 'initiative')).detail.combatantId;
    await gm.request({ type: 'initiative.hp', combatantId: pc, damage: 4 });
    const naturals = alice.ofType('roll').map((e) => e.groups[0].dice[0].value);
    expect((await call('POST', `/api/sessions/${t.sessionId}/end`, { token: t.gm.token })).status).toBe(200);
    const ended = await alice.waitFor((e) => e.type === 'ended');
    expect(ended.stats[t.player.id]).toMatchObject({
      rolls: 5, natural20s: naturals.filter((n) => n === 20).length, natural1s: naturals.filter((n) => n === 1).length, damageTaken: 4,
    });
    const log = await call('GET', `/api/sessions/${t.sessionId}/messages?types=session.stats`, { token: t.player.token });
    expect(log.body.items[0].players[t.player.id].rolls).toBe(5);
    const session = await call('GET', `/api/sessions/${t.sessionId}`, { token: t.player.token });
    expect(session.body.stats[t.player.id]).toMatchObject({ rolls: 5, damageTaken: 4 });
  });
});

describe('presence that scales', () => {
  it('batches joins into one presence event', async () => {
    const t = await liveTable();
    const gm = await connect(t.gm, t.sessionId, 'gm');
    await gm.waitFor((e) => e.type === 'presence');
    const before = gm.ofType('presence').length;
    const others = await Promise.all([connect(t.player, t.sessionId, 'a'), connect(t.otherPlayer, t.sessionId, 'b'), connect(t.spectator, t.sessionId, 'c')]);
    await sleep(700);
    const after = gm.ofType('presence').slice(before);
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.length).toBeLessThanOrEqual(2);
    expect(after.at(-1)!.members).toHaveLength(4);
    for (const c of [gm, ...others]) c.close();
  });
});

describe('macros', () => {
  it('saves a player\'s macros and runs them at the table with the sheet\'s current values', async () => {
    const t = await liveTable(SHEET);
    const base = `/api/campaigns/${t.campaignId}/macros`;
    expect((await call('POST', base, { token: t.player.token, body: { name: 'sneak', expression: '1d20+@stealth # Sneak' } })).status).toBe(201);
    const own = await call('POST', base, { token: t.player.token, body: { name: 'hit', expression: '1d20+@str+@prof', characterId: t.tamsinId } });
    expect(own.status).toBe(201);
    expect((await call('POST', base, { token: t.player.token, body: { name: 'sneak', expression: '1d20' } })).status).toBe(409);
    const bad = await call('POST', base, { token: t.player.token, body: { name: 'oops', expression: '1d20+@luck' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ path: 'body.expression', message: expect.stringMatching(/Unknown sheet value @luck/) });
    expect((await call('POST', base, { token: t.otherPlayer.token, body: { name: 'x', expression: '1d4', characterId: t.tamsinId } })).status).toBe(403);
    expect((await call('POST', base, { token: t.spectator.token, body: { name: 'x', expression: '1d4' } })).status).toBe(403);
    expect((await call('GET', base, { token: t.otherPlayer.token })).body.items).toEqual([]);

    const [gm, alice] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice')]);
    await alice.request({ type: 'chat', text: '!sneak past the guard', characterId: t.tamsinId });
    const sneak = await gm.waitFor((e) => e.type === 'roll' && e.macro?.name === 'sneak');
    expect(sneak).toMatchObject({ expression: '1d20+4 # Sneak', label: 'Sneak', character: { id: t.tamsinId } });
    await alice.request({ type: 'macro.run', name: 'hit', characterId: t.tamsinId });
    expect(await gm.waitFor((e) => e.type === 'roll' && e.macro?.name === 'hit')).toMatchObject({ expression: '1d20+3+2' });
    // The sheet changes; the macro follows.
    await call('PATCH', `/api/campaigns/${t.campaignId}/characters/${t.tamsinId}`, { token: t.player.token, body: { sheet: { abilities: { str: 16, dex: 18 } } } });
    await alice.request({ type: 'chat', text: '!sneak', characterId: t.tamsinId });
    await gm.waitFor((e) => e.type === 'roll' && e.expression === '1d20+6 # Sneak');
    // Without the character, a sheet-based macro says so; "!" without a macro is just chat.
    expect(await alice.request({ type: 'macro.run', name: 'sneak' })).toMatchObject({ type: 'error', code: 'invalid_roll', message: expect.stringMatching(/run it as one of your characters/) });
    await alice.request({ type: 'chat', text: '!wow, it worked' });
    expect(await gm.waitFor((e) => e.type === 'chat')).toMatchObject({ text: '!wow, it worked' });
    expect(await alice.request({ type: 'macro.run', name: 'nothing' })).toMatchObject({ type: 'error', code: 'not_found' });
    gm.close();
    alice.close();
  });
});

describe('lines and veils', () => {
  it('are read by everyone at the table, added anonymously by players, edited by the GM, and reach live tables at once', async () => {
    const t = await liveTable();
    const path = `/api/campaigns/${t.campaignId}/safety`;
    expect((await call('POST', path, { token: t.player.token, body: { kind: 'line', text: 'harm to children' } })).status).toBe(200);
    const alice = await connect(t.player, t.sessionId, 'alice');
    // The session started before the line was added: the change reached it, and new snapshots carry it.
    expect((await alice.waitFor((e) => e.type === 'snapshot')).safety.lines).toEqual(['harm to children']);
    await call('POST', path, { token: t.otherPlayer.token, body: { kind: 'veil', text: 'torture' } });
    expect(await alice.waitFor((e) => e.type === 'safety.lists')).toMatchObject({ lines: ['harm to children'], veils: ['torture'] });
    const read = await call('GET', path, { token: t.spectator.token });
    expect(read.body).toMatchObject({ lines: ['harm to children'], veils: ['torture'] });
    expect(JSON.stringify(read.body)).not.toContain(t.player.id);
    expect((await call('PUT', path, { token: t.player.token, body: { lines: [], veils: [] } })).status).toBe(403);
    expect((await call('POST', path, { token: t.spectator.token, body: { kind: 'line', text: 'x' } })).status).toBe(403);
    expect((await call('GET', path, { token: t.outsider.token })).status).toBe(404);
    expect((await call('PUT', path, { token: t.gm.token, body: { lines: ['harm to children'], veils: [] } })).body.veils).toEqual([]);
    alice.close();
  });
});

describe('initiative a GM can run', () => {
  it('readies an action that fires with the reaction, and rolls monster initiative from the stat block', async () => {
    const t = await liveTable(SHEET);
    const [gm, alice] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'alice')]);
    await alice.request({ type: 'initiative.add', kind: 'character', characterId: t.tamsinId, initiative: 30 });
    await gm.request({ type: 'initiative.add', kind: 'monster', name: 'Ogre', stats: { abilities: { dex: 8 } }, hp: { max: 59 } });
    const ogre = (await gm.waitFor((e) => e.type === 'initiative' && e.detail?.name === 'Ogre')).detail;
    expect(ogre.bonus).toBe(-1);
    expect(ogre.initiative).toBe(ogre.roll - 1);
    await gm.request({ type: 'initiative.start' });
    const pc = (await gm.waitFor((e) => e.action === 'initiative.start')).encounter.currentId;
    expect((await alice.request({ type: 'initiative.ready', trigger: 'when the ogre comes through the door' })).type).toBe('ack');
    const readied = await gm.waitFor((e) => e.action === 'initiative.ready');
    expect(readied.encounter.combatants.find((c: { id: string }) => c.id === pc)).toMatchObject({ readied: { trigger: 'when the ogre comes through the door' }, used: { action: true } });
    await alice.request({ type: 'initiative.next' });
    expect((await alice.request({ type: 'initiative.trigger', combatantId: pc })).type).toBe('ack');
    expect(await alice.request({ type: 'initiative.trigger', combatantId: pc })).toMatchObject({ type: 'error', code: 'invalid_action' });
    gm.close();
    alice.close();
  });
});
