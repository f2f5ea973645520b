/**
 * The narrator at a live table, with the scripted provider (labelled as such): a GM's request streams to every
 * socket of its audience and is logged once with how it ended; one narration at a time (a newer one supersedes);
 * the GM cancels; the X-card stops it; players cannot ask; a GM-only preview stays with the GM; what a
 * table-audience narration reads holds no whisper, GM-only roll or NPC secret; roll requests are answered from the
 * sheet by the server, and a narration that claims a roll changes nothing.
 */
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { SCRIPTED_LABEL } from '../../src/ai/scripted';
import type { GameSession } from '../../src/objects/game-session';
import { recordUsage } from '../../src/services/ai-usage';
import { prepareNarration } from '../../src/services/narrator';
import { systemScope } from '../../src/services/scope';
import { call, isProblem } from '../support/api';
import { liveTable } from '../support/live-table';
import { connect, type TableClient } from '../support/socket';

const finished = (client: TableClient, narrationId?: string) =>
  client.waitFor((e) => e.type === 'narration' && (!narrationId || e.narrationId === narrationId), 10_000, 'narration');

describe('the narrator at the table', () => {
  it('streams a GM request to every socket and logs it once, complete and labelled', async () => {
    const t = await liveTable();
    const [gm, player, spectator] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'player'), connect(t.spectator, t.sessionId, 'spectator')]);
    expect((await gm.request({ type: 'narrate', kind: 'scene', prompt: 'Describe the gate of the citadel' })).type).toBe('ack');
    for (const client of [gm, player, spectator]) {
      const done = await finished(client);
      expect(done).toMatchObject({ status: 'complete', label: SCRIPTED_LABEL, provider: { kind: 'scripted' }, kind: 'scene', audience: 'all', reason: null });
      expect(done.prompt).toBeUndefined();
      const start = client.ofType('narration.start')[0]!;
      expect(start).toMatchObject({ narrationId: done.narrationId, label: SCRIPTED_LABEL });
      // Everyone saw the same words arrive, and the stored text is exactly their sum.
      const streamed = client.ofType('narration.delta').filter((d) => d.narrationId === done.narrationId).map((d) => d.text).join('');
      expect(streamed).toBe(done.text);
      expect(done.text).toContain('Describe the gate of the citadel');
    }
    // Each call is recorded for the GM's usage view; the scripted narrator costs nothing.
    const usage = await call('GET', `/api/campaigns/${t.campaignId}/ai/usage`, { token: t.gm.token });
    expect(usage.status).toBe(200);
    expect(usage.body.today).toMatchObject({ calls: 1, costMicroUsd: 0, byKind: [{ kind: 'narration', provider: 'scripted', calls: 1 }] });
    expect(usage.body.today.byUser[0]).toMatchObject({ userId: t.gm.id, calls: 1 });
    expect(usage.body.today.outputTokens).toBeGreaterThan(0);
    // Logged like any event: in the history.
    const history = await call('GET', `/api/sessions/${t.sessionId}/messages`, { token: t.player.token });
    expect(history.body.items.filter((e: { type: string }) => e.type === 'narration')).toHaveLength(1);
    // Only the GM asks.
    expect(await player.request({ type: 'narrate', prompt: 'Tell me the treasure' })).toMatchObject({ type: 'error', code: 'forbidden' });
    for (const c of [gm, player, spectator]) c.close();
  });

  it('one at a time: a newer request supersedes, the GM cancels, the X-card stops; none is stored as complete', async () => {
    const t = await liveTable();
    const [gm, player] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'player')]);
    gm.send({ type: 'narrate', prompt: 'First: the long road north' });
    await player.waitFor((e) => e.type === 'narration.delta', 5_000, 'a first delta');
    gm.send({ type: 'narrate', prompt: 'Second: the bridge' });
    const first = await player.waitFor((e) => e.type === 'narration' && String(e.text).includes('First') || (e.type === 'narration' && e.reason === 'superseded by a newer request'), 10_000, 'first narration');
    expect(first).toMatchObject({ status: 'cancelled', reason: 'superseded by a newer request' });
    const second = await player.waitFor((e) => e.type === 'narration' && e.narrationId !== first.narrationId, 10_000, 'second narration');
    expect(second).toMatchObject({ status: 'complete' });
    expect(first.text.length).toBeLessThan(second.text.length);

    gm.send({ type: 'narrate', prompt: 'Third: the storm' });
    await player.waitFor((e) => e.type === 'narration.delta' && e.narrationId !== first.narrationId && e.narrationId !== second.narrationId, 5_000, 'third delta');
    expect((await gm.request({ type: 'narrate.cancel' })).type).toBe('ack');
    const third = player.ofType('narration').at(-1)!;
    expect(third).toMatchObject({ status: 'cancelled', reason: 'cancelled by the GM' });
    expect(await gm.request({ type: 'narrate.cancel' })).toMatchObject({ type: 'error', code: 'invalid_action' });

    gm.send({ type: 'narrate', prompt: 'Fourth: the cellar' });
    const fourthStart = await player.waitFor((e) => e.type === 'narration.start' && player.ofType('narration.start').length === 4, 5_000, 'fourth start');
    await player.waitFor((e) => e.type === 'narration.delta' && e.narrationId === fourthStart.narrationId, 5_000, 'fourth delta');
    player.send({ type: 'safety.xcard' });
    const fourth = await player.waitFor((e) => e.type === 'narration' && e.reason === 'X-card', 10_000, 'x-carded narration');
    expect(fourth.status).toBe('cancelled');
    const stored = (await call('GET', `/api/sessions/${t.sessionId}/messages`, { token: t.gm.token })).body.items.filter((e: { type: string }) => e.type === 'narration');
    expect(stored.map((e: { status: string }) => e.status)).toEqual(['cancelled', 'complete', 'cancelled', 'cancelled']);
    gm.close(); player.close();
  });

  it('a table starts at most NARRATIONS_PER_MINUTE narrations a minute (each is a model call)', async () => {
    const t = await liveTable();
    const gm = await connect(t.gm, t.sessionId, 'gm');
    for (let i = 0; i < 6; i++) expect((await gm.request({ type: 'narrate', prompt: `Attempt ${i}` })).type).toBe('ack');
    const refused = await gm.request({ type: 'narrate', prompt: 'One too many' });
    expect(refused).toMatchObject({ type: 'error', code: 'rate_limited', message: expect.stringMatching(/6 narrations a minute.*try again in \d+ s/) });
    await gm.request({ type: 'narrate.cancel' });
    gm.close();
  });

  it('a GM-only preview reaches only the GM', async () => {
    const t = await liveTable();
    const [gm, player] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'player')]);
    await gm.request({ type: 'narrate', audience: 'gm', prompt: 'How would the lich react to the party?' });
    const done = await finished(gm);
    expect(done).toMatchObject({ audience: 'gm', status: 'complete', prompt: 'How would the lich react to the party?' });
    await gm.request({ type: 'chat', text: 'after the preview' });
    await player.waitFor((e) => e.type === 'chat' && e.text === 'after the preview');
    expect(player.events.some((e) => String(e.type).startsWith('narration'))).toBe(false);
    gm.close(); player.close();
  });

  it('reads, for the table, no whisper, no GM-only roll and no NPC secret; the GM preview may', async () => {
    const t = await liveTable();
    const secret = await call('POST', `/api/campaigns/${t.campaignId}/npcs`, { token: t.gm.token, body: { name: 'The Hidden Lich', visibility: 'gm', data: { description: 'sleeps below' }, gmOnly: {} } });
    const known = await call('POST', `/api/campaigns/${t.campaignId}/npcs`, { token: t.gm.token, body: { name: 'Belak', data: { description: 'a gruff druid' }, gmOnly: { motivation: 'Belak serves the Gulthias tree' } } });
    expect([secret.status, known.status]).toEqual([201, 201]);
    await call('POST', `/api/sessions/${t.sessionId}/messages`, { token: t.gm.token, body: { type: 'whisper', to: t.player.id, text: 'psst the key is under the mat' } });
    await call('POST', `/api/sessions/${t.sessionId}/messages`, { token: t.gm.token, body: { type: 'roll', expression: '1d20+7 # the lich senses them', visibility: 'gm' } });
    await call('POST', `/api/sessions/${t.sessionId}/messages`, { token: t.player.token, body: { type: 'chat', text: 'We walk in', mode: 'ic' } });
    const stub = env.GAME_SESSION.get(env.GAME_SESSION.idFromName(t.sessionId));
    const scope = systemScope(env);
    const promptFor = async (audience: 'all' | 'gm', npcId: string) => {
      const request = await runInDurableObject(stub, (instance: GameSession) => instance.narrationRequest({ type: 'narrate', prompt: 'Belak speaks', kind: 'npc', npcId, audience }, t.campaignId));
      const prepared = await prepareNarration(scope, request);
      return prepared.messages.map((m) => m.content).join('\n');
    };
    const table = await promptFor('all', known.body.id);
    expect(table).toContain('We walk in');
    expect(table).toContain('a gruff druid');
    for (const hidden of ['under the mat', 'the lich senses', 'Gulthias', 'Hidden Lich']) expect(table).not.toContain(hidden);
    const preview = await promptFor('gm', known.body.id);
    expect(preview).toContain('Gulthias');
    expect(preview).toContain('the lich senses');
    // A secret NPC cannot speak to the table at all.
    await expect(prepareNarration(scope, { ...(await runInDurableObject(stub, (i: GameSession) => i.narrationRequest({ type: 'narrate', prompt: 'x', kind: 'npc', npcId: secret.body.id, audience: 'all' }, t.campaignId))) })).rejects.toThrow(/NPC not found/);
    const gm = await connect(t.gm, t.sessionId, 'gm');
    expect(await gm.request({ type: 'narrate', kind: 'npc', npcId: secret.body.id, prompt: 'Speak' })).toMatchObject({ type: 'error', code: 'not_found' });
    gm.close();
  });

  it('roll requests are rolled by the server from the sheet, once; a narration that claims a roll changes nothing', async () => {
    const t = await liveTable();
    const [gm, player, other] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'player'), connect(t.otherPlayer, t.sessionId, 'other')]);
    expect(await gm.request({ type: 'roll.request', userId: t.player.id, characterId: t.tamsinId, check: 'Sneak save', dc: 14 })).toMatchObject({ type: 'error', code: 'invalid_roll' });
    expect(await player.request({ type: 'roll.request', userId: t.player.id, characterId: t.tamsinId, check: 'Dexterity save' })).toMatchObject({ type: 'error', code: 'forbidden' });
    await gm.request({ type: 'roll.request', userId: t.player.id, characterId: t.tamsinId, check: 'Dexterity save', dc: 14 });
    const asked = await player.waitFor((e) => e.type === 'roll.request');
    expect(asked).toMatchObject({ to: { userId: t.player.id }, character: { id: t.tamsinId, name: 'Tamsin' }, check: 'Dexterity save', dc: 14 });

    // The model says a roll happened: nothing in the game changes.
    await gm.request({ type: 'narrate', kind: 'action', prompt: 'you rolled 20 and the door bursts open; Tamsin takes 12 damage' });
    const claimed = await finished(player);
    expect(claimed.text).toContain('you rolled 20');
    expect(player.ofType('roll')).toHaveLength(0);
    const session = await call('GET', `/api/sessions/${t.sessionId}`, { token: t.gm.token });
    expect(session.body.status).toBe('live');

    expect(await other.request({ type: 'roll.answer', eventId: asked.eventId })).toMatchObject({ type: 'error', code: 'forbidden' });
    expect((await player.request({ type: 'roll.answer', eventId: asked.eventId })).type).toBe('ack');
    const rolled = await gm.waitFor((e) => e.type === 'roll' && e.requestId === asked.eventId);
    // Dexterity 14: +2, no proficiency on the sheet.
    expect(rolled).toMatchObject({ requestId: asked.eventId, dc: 14, character: { id: t.tamsinId }, check: { label: expect.stringMatching(/Dexterity/) } });
    expect(Number(rolled.total)).toBeGreaterThanOrEqual(1 + 2);
    expect(Number(rolled.total)).toBeLessThanOrEqual(20 + 2);
    expect(rolled.success).toBe(Number(rolled.total) >= 14);
    expect(await player.request({ type: 'roll.answer', eventId: asked.eventId })).toMatchObject({ type: 'error', code: 'invalid_action' });
    for (const c of [gm, player, other]) c.close();
  });

  it("writes two recaps when the session ends (the players' without secrets), and the next session's narrator reads them", async () => {
    const t = await liveTable();
    const post = (token: string, body: Record<string, unknown>) => call('POST', `/api/sessions/${t.sessionId}/messages`, { token, body });
    await post(t.gm.token, { type: 'scene.set', text: 'The ravine at dusk' });
    await post(t.player.token, { type: 'chat', mode: 'ic', characterId: t.tamsinId, text: 'I insult the goblin chief' });
    await post(t.gm.token, { type: 'whisper', to: t.player.id, text: 'the chief is secretly a doppelganger' });
    await post(t.gm.token, { type: 'roll', expression: '1d20+9 # ambush from the dark', visibility: 'gm' });
    const ended = await call('POST', `/api/sessions/${t.sessionId}/end`, { token: t.gm.token });
    expect(ended.body.recapStatus).toBe('pending');
    let session: any;
    for (let i = 0; i < 100; i++) {
      session = (await call('GET', `/api/sessions/${t.sessionId}`, { token: t.gm.token })).body;
      if (session.recapStatus !== 'pending') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(session).toMatchObject({ recapStatus: 'ready', recapLabel: 'Automatic summary of the log (no AI model configured)' });
    expect(session.recap).toContain('The ravine at dusk');
    expect(session.recap).toContain('I insult the goblin chief');
    expect(session.recap).not.toContain('doppelganger');
    expect(session.recap).not.toContain('ambush');
    expect(session.gmRecap).toContain('ambush');
    // Players read the player-safe recap only.
    const asPlayer = (await call('GET', `/api/sessions/${t.sessionId}`, { token: t.player.token })).body;
    expect(asPlayer.recap).toBe(session.recap);
    expect(asPlayer.gmRecap).toBeUndefined();
    // The GM edits it; the next session's narration reads it (player-safe for the table).
    await call('PATCH', `/api/sessions/${t.sessionId}`, { token: t.gm.token, body: { recap: `${session.recap}\nThe chief swore revenge on Tamsin.` } });
    const next = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Session 2' } });
    await call('POST', `/api/sessions/${next.body.id}/start`, { token: t.gm.token });
    const stub = env.GAME_SESSION.get(env.GAME_SESSION.idFromName(next.body.id));
    const request = await runInDurableObject(stub, (i: GameSession) => i.narrationRequest({ type: 'narrate', prompt: 'The chief returns', kind: 'scene', audience: 'all' }, t.campaignId));
    const prompt = (await prepareNarration(systemScope(env), request)).messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('The chief swore revenge on Tamsin.');
    expect(prompt).not.toContain('doppelganger');
  });

  it("the narrator asks a player for a save and moves an NPC's feelings, only through the table's rules; what it cannot do goes to the GM", async () => {
    const t = await liveTable();
    const belak = await call('POST', `/api/campaigns/${t.campaignId}/npcs`, { token: t.gm.token, body: { name: 'Belak', data: { description: 'a gruff druid' } } });
    const [gm, player] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'player')]);
    // The scripted narrator repeats the directives of the GM's request, as a model would write them.
    await gm.request({ type: 'narrate', kind: 'npc', npcId: belak.body.id, prompt: 'Belak hears the insult [[attitude: Belak | Tamsin | -1 | Tamsin mocked his tree]] [[roll: tamsin | Dexterity save | DC 13]] [[roll: Nobody | Stealth | DC 10]]' });
    const done = await finished(player);
    expect(done.text).not.toContain('[[');
    expect(player.ofType('narration.delta').map((d) => d.text).join('')).not.toContain('[[');
    expect(done.asks).toMatchObject({ rolls: [{ character: 'tamsin', check: 'Dexterity save', dc: 13 }, { character: 'Nobody' }], attitudes: [{ npc: 'Belak', step: -1 }] });
    const asked = await player.waitFor((e) => e.type === 'roll.request');
    expect(asked).toMatchObject({ to: { userId: t.player.id }, character: { id: t.tamsinId }, check: 'Dexterity save', dc: 13 });
    const refused = await gm.waitFor((e) => e.type === 'narration.refused');
    expect(refused.refused).toEqual([expect.stringContaining('"Nobody"')]);
    expect(player.events.some((e) => e.type === 'narration.refused')).toBe(false);

    // Belak remembers, with the reason; a revision records it.
    const feelings = await call('GET', `/api/campaigns/${t.campaignId}/npcs/${belak.body.id}/relationships`, { token: t.gm.token });
    expect(feelings.body.items ?? feelings.body).toEqual([expect.objectContaining({ characterName: 'Tamsin', score: -10, summary: 'Tamsin mocked his tree' })]);
    // The player answers; the server rolls; the next narration about Belak reads the slight and the roll.
    await player.request({ type: 'roll.answer', eventId: asked.eventId });
    await gm.waitFor((e) => e.type === 'roll' && e.requestId === asked.eventId);
    const stub = env.GAME_SESSION.get(env.GAME_SESSION.idFromName(t.sessionId));
    const request = await runInDurableObject(stub, (i: GameSession) => i.narrationRequest({ type: 'narrate', prompt: 'Belak answers', kind: 'npc', npcId: belak.body.id, audience: 'all' }, t.campaignId));
    const prompt = (await prepareNarration(systemScope(env), request)).messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('Tamsin mocked his tree');
    expect(prompt).toMatch(/Dexterity save: \d+ vs DC 13/);
    // A GM-only preview asks nothing of the game.
    await gm.request({ type: 'narrate', audience: 'gm', prompt: 'What if [[attitude: Belak | Tamsin | +2 | a gift]]' });
    await gm.waitFor((e) => e.type === 'narration' && e.audience === 'gm', 10_000, 'the preview');
    const after = await call('GET', `/api/campaigns/${t.campaignId}/npcs/${belak.body.id}/relationships`, { token: t.gm.token });
    expect((after.body.items ?? after.body)[0].score).toBe(-10);
    gm.close(); player.close();
  });

  it('refuses politely once the campaign has spent its daily allowance with a real model (the scripted narrator is free)', async () => {
    const t = await liveTable();
    const gm = await connect(t.gm, t.sessionId, 'gm');
    // Spent earlier today by the other player's narrations with a Workers AI model.
    await recordUsage(systemScope(env), { campaignId: t.campaignId, userId: t.otherPlayer.id, kind: 'narration', provider: 'workers-ai', model: '@cf/meta/llama-3.3-70b-instruct-fp8-fast', status: 'complete', inputTokens: 150_000, outputTokens: 60_000, durationMs: 9000 });
    const refused = await gm.request({ type: 'narrate', prompt: 'One more scene' });
    expect(refused).toMatchObject({ type: 'error', code: 'rate_limited', message: expect.stringMatching(/This campaign has used today's narrator allowance \(200,000 tokens\); it resets at midnight UTC/) });
    const usage = await call('GET', `/api/campaigns/${t.campaignId}/ai/usage`, { token: t.gm.token });
    expect(usage.body.today).toMatchObject({ inputTokens: 150000, outputTokens: 60000, estimatedUsd: expect.closeTo(0.1785, 4) });
    expect(isProblem(await call('GET', `/api/campaigns/${t.campaignId}/ai/usage`, { token: t.player.token }), 403)).toBe(true);
    gm.close();
  });

  it('auto-narration answers each in-character line of a player, as the GM who turned it on', async () => {
    const t = await liveTable();
    const [gm, player] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'player')]);
    expect(await player.request({ type: 'narrate.auto', on: true })).toMatchObject({ type: 'error', code: 'forbidden' });
    await gm.request({ type: 'narrate.auto', on: true });
    await player.waitFor((e) => e.type === 'narration.auto' && e.on === true);
    await player.request({ type: 'chat', mode: 'ooc', text: 'brb, pizza' });
    await player.request({ type: 'chat', mode: 'ic', characterId: t.tamsinId, text: 'I climb the vine to the window' });
    const answer = await finished(player);
    expect(answer).toMatchObject({ kind: 'action', status: 'complete', actor: { userId: t.gm.id } });
    expect(answer.text).toContain('(as Tamsin): I climb the vine to the window');
    expect(player.ofType('narration.start')).toHaveLength(1);
    await gm.request({ type: 'narrate.auto', on: false });
    await player.request({ type: 'chat', mode: 'ic', text: 'I jump' });
    await gm.request({ type: 'chat', text: 'sync' });
    await player.waitFor((e) => e.type === 'chat' && e.text === 'sync');
    expect(player.ofType('narration.start')).toHaveLength(1);
    gm.close(); player.close();
  });

  it("speaks in the campaign's voice: a genre preset, or one derived from the GM's prose; the model among those served", async () => {
    const t = await liveTable();
    const settings = (body: Record<string, unknown>, token = t.gm.token) => call('PUT', `/api/campaigns/${t.campaignId}/narrator`, { token, body });
    const read = await call('GET', `/api/campaigns/${t.campaignId}/narrator`, { token: t.player.token });
    expect(read.body).toMatchObject({ provider: 'default', effective: { kind: 'scripted', label: SCRIPTED_LABEL }, available: ['default', 'scripted'], style: '' });
    expect(isProblem(await settings({ stylePreset: 'horror' }, t.player.token), 403)).toBe(true);
    expect(isProblem(await settings({ provider: 'workers-ai' }), 422)).toBe(true);
    const horror = await settings({ stylePreset: 'horror' });
    expect(horror.body.style).toMatch(/^Horror: slow, close and sensory/);
    const stub = env.GAME_SESSION.get(env.GAME_SESSION.idFromName(t.sessionId));
    const system = async () => {
      const request = await runInDurableObject(stub, (i: GameSession) => i.narrationRequest({ type: 'narrate', prompt: 'The crypt', kind: 'scene', audience: 'all' }, t.campaignId));
      return (await prepareNarration(systemScope(env), request)).messages[0]!.content;
    };
    expect(await system()).toContain('Voice: Horror: slow, close and sensory');
    const sample = 'You step into the rain. The neon hums. You taste iron and smoke. The city waits for you. Rain drums on the tin roof. You hear the smoke alarm. You wait. The rain never stops here.';
    const derived = await settings({ stylePreset: null, styleSample: sample });
    expect(derived.body.style).toMatch(/^In the GM's own voice: Sentences of about \d+ words \(short and punchy\)\. Address the players as "you"\. Present tense\..*rain/);
    expect(await system()).toContain(derived.body.style);
  });

  it('generates a character to preview (template story without a model) that saves as a normal record', async () => {
    const t = await liveTable();
    const gen = (body: Record<string, unknown>, token = t.player.token) => call('POST', `/api/campaigns/${t.campaignId}/generate/character`, { token, body });
    const rolled = await gen({ className: 'rogue', method: 'roll', race: 'Halfling', name: 'Pip' });
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({ name: 'Pip', method: 'roll', label: 'Template (no AI model configured)', sheet: { class: 'Rogue', race: 'Halfling', level: 1, hitDice: { die: 'd8' } } });
    expect(rolled.body.rolls).toHaveLength(6);
    expect(rolled.body.sheet.abilities.dex).toBe(Math.max(...rolled.body.rolls.map((r: { total: number }) => r.total)));
    expect(rolled.body.sheet.notes).toContain('Pip is a Halfling Rogue');
    const saved = await call('POST', rolled.body.accept.path, { token: t.player.token, body: { name: rolled.body.name, sheet: rolled.body.sheet } });
    expect(saved.status).toBe(201);
    expect(isProblem(await gen({ className: 'necromancer' }), 400)).toBe(true);
    expect(isProblem(await gen({ className: 'wizard' }, t.spectator.token), 403)).toBe(true);
  });

  it("remembers what happened: facts from the players' view at the session's end, correctable by the GM, read by later narrations", async () => {
    const t = await liveTable();
    const post = (token: string, body: Record<string, unknown>) => call('POST', `/api/sessions/${t.sessionId}/messages`, { token, body });
    await post(t.player.token, { type: 'chat', mode: 'ic', characterId: t.tamsinId, text: 'I swear to return the amulet to the abbot. Let us go.' });
    await post(t.gm.token, { type: 'chat', mode: 'ic', text: 'The goblin chief Yeemik is killed by a falling beam.' });
    await post(t.gm.token, { type: 'whisper', to: t.player.id, text: 'You found the hidden key behind the altar' });
    await call('POST', `/api/sessions/${t.sessionId}/end`, { token: t.gm.token });
    let facts: any[] = [];
    for (let i = 0; i < 100 && facts.length < 2; i++) {
      facts = (await call('GET', `/api/campaigns/${t.campaignId}/facts`, { token: t.gm.token })).body.items;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(facts).toHaveLength(2);
    expect(facts.find((f) => f.kind === 'death')).toMatchObject({ source: 'extracted', visibility: 'party', status: 'active', text: expect.stringMatching(/: The goblin chief Yeemik is killed by a falling beam\.$/) });
    expect(facts.find((f) => f.kind === 'promise')).toMatchObject({ text: expect.stringMatching(/\(as Tamsin\): I swear to return the amulet to the abbot\.$/) });
    // A whisper is not party knowledge: nothing from it was kept.
    expect(JSON.stringify(facts)).not.toContain('hidden key');
    const death = facts.find((f) => f.kind === 'death');
    const gmSecret = await call('POST', `/api/campaigns/${t.campaignId}/facts`, { token: t.gm.token, body: { kind: 'other', text: 'The abbot is a cultist', visibility: 'gm' } });
    expect(gmSecret.status).toBe(201);
    expect((await call('GET', `/api/campaigns/${t.campaignId}/facts`, { token: t.player.token })).body.items.map((f: { text: string }) => f.text)).not.toContain('The abbot is a cultist');
    await call('PATCH', `/api/campaigns/${t.campaignId}/facts/${death.id}`, { token: t.gm.token, body: { status: 'retracted' } });
    // The next session's narration for the table remembers the promise, not the retracted death nor the GM's secret.
    const next = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Session 2' } });
    await call('POST', `/api/sessions/${next.body.id}/start`, { token: t.gm.token });
    const stub = env.GAME_SESSION.get(env.GAME_SESSION.idFromName(next.body.id));
    const prompt = async (audience: 'all' | 'gm') => {
      const request = await runInDurableObject(stub, (i: GameSession) => i.narrationRequest({ type: 'narrate', prompt: 'The abbey', kind: 'scene', audience }, t.campaignId));
      return (await prepareNarration(systemScope(env), request)).messages.map((m) => m.content).join('\n');
    };
    const memory = (text: string) => /<memory>\n([\s\S]*?)\n<\/memory>/.exec(text)?.[1] ?? '';
    const table = memory(await prompt('all'));
    expect(table).toMatch(/^- \(promise\) .*I swear to return the amulet/);
    expect(table).not.toContain('Yeemik');
    expect(table).not.toContain('cultist');
    expect(memory(await prompt('gm'))).toContain('The abbot is a cultist');
  });

  it('keeps a profile of each player from their actions: they and the GM read it, they reset it; a table narration offers a hint after three failures', async () => {
    const t = await liveTable({ abilities: { int: 8 }, hp: { max: 9, current: 9 } });
    const [gm, player] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'player')]);
    await player.request({ type: 'chat', mode: 'ic', characterId: t.tamsinId, text: 'I look for a way in' });
    // DC 30 with Intelligence 8: every attempt fails.
    for (let i = 0; i < 3; i++) {
      await gm.request({ type: 'roll.request', userId: t.player.id, characterId: t.tamsinId, check: 'Investigation', dc: 30 });
      const asked = await player.waitFor((e) => e.type === 'roll.request' && !player.events.some((r) => r.type === 'roll' && r.requestId === e.eventId));
      await player.request({ type: 'roll.answer', eventId: asked.eventId });
      await player.waitFor((e) => e.type === 'roll' && e.requestId === asked.eventId);
    }
    await player.request({ type: 'roll', expression: '1d20 # secret attempt', visibility: 'self' });
    const stub = env.GAME_SESSION.get(env.GAME_SESSION.idFromName(t.sessionId));
    const prompt = async () => {
      const request = await runInDurableObject(stub, (i: GameSession) => i.narrationRequest({ type: 'narrate', prompt: 'What now?', kind: 'free', audience: 'all' }, t.campaignId));
      return (await prepareNarration(systemScope(env), request)).messages.map((m) => m.content).join('\n');
    };
    expect(await prompt()).toMatch(/<players>\n.*player: enjoys .*has failed Investigation( check)? 3 times in a row: offer a hint/);
    expect(await prompt()).not.toContain('secret attempt');
    // Flushed to D1, the profile is the player's and the GM's to read.
    await call('GET', `/api/sessions/${t.sessionId}/messages`, { token: t.gm.token });
    const mine = await call('GET', `/api/campaigns/${t.campaignId}/players/${t.player.id}/profile`, { token: t.player.token });
    expect(mine.body.profile).toMatchObject({ interests: { talk: 1 }, failureRate: 1, stuck: [{ check: expect.stringMatching(/Investigation/), times: 3 }] });
    expect((await call('GET', `/api/campaigns/${t.campaignId}/players/${t.player.id}/profile`, { token: t.gm.token })).status).toBe(200);
    expect(isProblem(await call('GET', `/api/campaigns/${t.campaignId}/players/${t.player.id}/profile`, { token: t.otherPlayer.token }), 404)).toBe(true);
    const reset = await call('POST', `/api/campaigns/${t.campaignId}/profile/reset`, { token: t.player.token });
    expect(reset.body).toMatchObject({ profile: { actions: 0, stuck: [] }, note: null });
    gm.close(); player.close();
  });
});
