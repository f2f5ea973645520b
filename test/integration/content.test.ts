import { describe, expect, it } from 'vitest';
import { call, isProblem, setUpTable } from '../support/api';

const base = (t: { campaignId: string }) => `/api/campaigns/${t.campaignId}`;

describe('characters', () => {
  it('fills a 5e sheet from defaults and validates what is sent', async () => {
    const t = await setUpTable();
    const created = await call('POST', `${base(t)}/characters`, { token: t.player.token, body: { name: 'Tamsin', sheet: { class: 'Wizard', abilities: { int: 16 } } } });
    expect(created.status).toBe(201);
    expect(created.body.ownerUserId).toBe(t.player.id);
    expect(created.body.sheet).toMatchObject({ class: 'Wizard', level: 1, abilities: { int: 16, str: 10 }, hp: { max: 8, current: 8, temp: 0 }, armorClass: 10, speed: 30 });
    expect(created.body.sheet.skills.arcana).toBe('none');

    const bad = await call('POST', `${base(t)}/characters`, { token: t.player.token, body: { name: 'Broken', sheet: { abilities: { str: 99 }, hp: { max: 5, current: 9 } } } });
    expect(isProblem(bad, 400)).toBe(true);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body.sheet.abilities.str', 'body.sheet.hp.current']));
  });

  it('players edit their own characters only; the GM edits all; spectators read', async () => {
    const t = await setUpTable();
    const { body: mine } = await call('POST', `${base(t)}/characters`, { token: t.player.token, body: { name: 'Mine' } });
    const { body: theirs } = await call('POST', `${base(t)}/characters`, { token: t.otherPlayer.token, body: { name: 'Theirs' } });

    const edit = await call('PATCH', `${base(t)}/characters/${mine.id}`, { token: t.player.token, body: { sheet: { hp: { max: 12, current: 7, temp: 3 } } } });
    expect(edit.status).toBe(200);
    expect(edit.body.sheet.hp).toEqual({ max: 12, current: 7, temp: 3 });
    expect(edit.body.sheet.abilities.str).toBe(10);
    expect(edit.body.version).toBe(2);

    expect(isProblem(await call('PATCH', `${base(t)}/characters/${theirs.id}`, { token: t.player.token, body: { name: 'Stolen' } }), 403)).toBe(true);
    expect(isProblem(await call('DELETE', `${base(t)}/characters/${theirs.id}`, { token: t.player.token }), 403)).toBe(true);
    expect((await call('PATCH', `${base(t)}/characters/${theirs.id}`, { token: t.gm.token, body: { name: 'Renamed by GM' } })).body.name).toBe('Renamed by GM');

    expect((await call('GET', `${base(t)}/characters/${theirs.id}`, { token: t.spectator.token })).status).toBe(200);
    expect(isProblem(await call('PATCH', `${base(t)}/characters/${theirs.id}`, { token: t.spectator.token, body: { name: 'x' } }), 403)).toBe(true);
    expect(isProblem(await call('POST', `${base(t)}/characters`, { token: t.spectator.token, body: { name: 'x' } }), 403)).toBe(true);

    const list = await call('GET', `${base(t)}/characters?owner=me`, { token: t.player.token });
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['Mine']);
  });

  it('only the GM assigns characters to other members, and only to members', async () => {
    const t = await setUpTable();
    expect(isProblem(await call('POST', `${base(t)}/characters`, { token: t.player.token, body: { name: 'Gift', ownerUserId: t.otherPlayer.id } }), 403)).toBe(true);
    const assigned = await call('POST', `${base(t)}/characters`, { token: t.gm.token, body: { name: 'Pregen', ownerUserId: t.otherPlayer.id } });
    expect(assigned.body.ownerUserId).toBe(t.otherPlayer.id);
    expect(assigned.body.canEdit).toBe(true);
    expect(isProblem(await call('POST', `${base(t)}/characters`, { token: t.gm.token, body: { name: 'Nope', ownerUserId: t.outsider.id } }), 400)).toBe(true);
    const npcLike = await call('POST', `${base(t)}/characters`, { token: t.gm.token, body: { name: 'Sidekick', ownerUserId: null } });
    expect(npcLike.body.ownerUserId).toBeNull();
  });

  it('deleted characters disappear from reads', async () => {
    const t = await setUpTable();
    const { body: c } = await call('POST', `${base(t)}/characters`, { token: t.player.token, body: { name: 'Doomed' } });
    expect((await call('DELETE', `${base(t)}/characters/${c.id}`, { token: t.player.token })).status).toBe(204);
    expect(isProblem(await call('GET', `${base(t)}/characters/${c.id}`, { token: t.player.token }), 404)).toBe(true);
    expect((await call('GET', `${base(t)}/characters`, { token: t.gm.token })).body.items).toHaveLength(0);
  });
});

describe('NPCs, locations and plot threads', () => {
  it('hide GM-only parts and GM-only records from players', async () => {
    const t = await setUpTable();
    const npc = await call('POST', `${base(t)}/npcs`, {
      token: t.gm.token,
      body: { name: 'Meepo', data: { role: 'kobold keeper', personality: { traits: ['eager'], voice: 'squeaky' } }, gmOnly: { secrets: ['knows the dragon is dead'], motivation: 'find Calcryx' } },
    });
    expect(npc.status).toBe(201);
    expect(npc.body.gmOnly.secrets).toEqual(['knows the dragon is dead']);
    const hidden = await call('POST', `${base(t)}/npcs`, { token: t.gm.token, body: { name: 'Belak the Outcast', visibility: 'gm' } });

    const asPlayer = await call('GET', `${base(t)}/npcs/${npc.body.id}`, { token: t.player.token });
    expect(asPlayer.body.data.personality.voice).toBe('squeaky');
    expect(asPlayer.body.gmOnly).toBeUndefined();
    expect(JSON.stringify(asPlayer.body)).not.toContain('dragon is dead');
    expect(isProblem(await call('GET', `${base(t)}/npcs/${hidden.body.id}`, { token: t.player.token }), 404)).toBe(true);
    const list = await call('GET', `${base(t)}/npcs`, { token: t.spectator.token });
    expect(list.body.items.map((n: { name: string }) => n.name)).toEqual(['Meepo']);
    expect((await call('GET', `${base(t)}/npcs`, { token: t.gm.token })).body.items).toHaveLength(2);

    const revealed = await call('PATCH', `${base(t)}/npcs/${hidden.body.id}`, { token: t.gm.token, body: { visibility: 'party' } });
    expect(revealed.body.visibility).toBe('party');
    expect((await call('GET', `${base(t)}/npcs/${hidden.body.id}`, { token: t.player.token })).status).toBe(200);
  });

  it('only GMs write world records; patches merge and are validated', async () => {
    const t = await setUpTable();
    expect(isProblem(await call('POST', `${base(t)}/locations`, { token: t.player.token, body: { name: 'Oakhurst' } }), 403)).toBe(true);
    const loc = await call('POST', `${base(t)}/locations`, { token: t.gm.token, body: { name: 'Oakhurst', data: { kind: 'village', description: 'A quiet village' } } });
    const patched = await call('PATCH', `${base(t)}/locations/${loc.body.id}`, { token: t.gm.token, body: { data: { description: 'A worried village' } } });
    expect(patched.body.data).toMatchObject({ kind: 'village', description: 'A worried village' });
    const bad = await call('PATCH', `${base(t)}/locations/${loc.body.id}`, { token: t.gm.token, body: { data: { parentLocationId: 'not-a-uuid' } } });
    expect(isProblem(bad, 400)).toBe(true);
    expect(bad.body.errors[0].path).toBe('body.data.parentLocationId');

    const thread = await call('POST', `${base(t)}/threads`, { token: t.gm.token, body: { name: 'The missing fruit', data: { status: 'active' }, gmOnly: { nextSteps: ['Kerowyn offers a reward'] } } });
    expect(thread.body.data.status).toBe('active');
    expect(isProblem(await call('PATCH', `${base(t)}/threads/${thread.body.id}`, { token: t.player.token, body: { name: 'x' } }), 403)).toBe(true);
    expect((await call('DELETE', `${base(t)}/threads/${thread.body.id}`, { token: t.gm.token })).status).toBe(204);
    expect(isProblem(await call('GET', `${base(t)}/threads/${thread.body.id}`, { token: t.gm.token }), 404)).toBe(true);
  });

  it('keeps per-character relationship scores', async () => {
    const t = await setUpTable();
    const { body: npc } = await call('POST', `${base(t)}/npcs`, { token: t.gm.token, body: { name: 'Kerowyn' } });
    const { body: pc } = await call('POST', `${base(t)}/characters`, { token: t.player.token, body: { name: 'Tamsin' } });
    const created = await call('PUT', `${base(t)}/npcs/${npc.id}/relationships/${pc.id}`, { token: t.gm.token, body: { score: 40, summary: 'grateful for the rescue' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ score: 40, label: 'friendly', characterName: 'Tamsin' });
    const updated = await call('PUT', `${base(t)}/npcs/${npc.id}/relationships/${pc.id}`, { token: t.gm.token, body: { score: -70 } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ score: -70, label: 'hostile', version: 2 });
    expect(isProblem(await call('PUT', `${base(t)}/npcs/${npc.id}/relationships/${pc.id}`, { token: t.gm.token, body: { score: 101 } }), 400)).toBe(true);
    expect(isProblem(await call('PUT', `${base(t)}/npcs/${npc.id}/relationships/${pc.id}`, { token: t.player.token, body: { score: 100 } }), 403)).toBe(true);
    expect((await call('GET', `${base(t)}/npcs/${npc.id}/relationships`, { token: t.player.token })).body.items).toHaveLength(1);
    expect((await call('DELETE', `${base(t)}/npcs/${npc.id}/relationships/${pc.id}`, { token: t.gm.token })).status).toBe(204);
    expect((await call('GET', `${base(t)}/npcs/${npc.id}/relationships`, { token: t.gm.token })).body.items).toHaveLength(0);
  });
});

describe('notes', () => {
  it('honour visibility: GM-only, party, one player', async () => {
    const t = await setUpTable();
    const gmNote = await call('POST', `${base(t)}/notes`, { token: t.gm.token, body: { title: 'Twist', body: 'Belak is the villain', visibility: 'gm' } });
    const party = await call('POST', `${base(t)}/notes`, { token: t.gm.token, body: { title: 'Recap', category: 'recap', visibility: 'party' } });
    const whisper = await call('POST', `${base(t)}/notes`, { token: t.gm.token, body: { title: 'Your dream', visibility: 'player', recipientUserId: t.player.id } });
    const toGm = await call('POST', `${base(t)}/notes`, { token: t.otherPlayer.token, body: { title: 'My secret plan', visibility: 'gm' } });

    const titles = async (token: string) => (await call('GET', `${base(t)}/notes`, { token })).body.items.map((n: { title: string }) => n.title).sort();
    expect(await titles(t.gm.token)).toEqual(['My secret plan', 'Recap', 'Twist', 'Your dream']);
    expect(await titles(t.player.token)).toEqual(['Recap', 'Your dream']);
    expect(await titles(t.otherPlayer.token)).toEqual(['My secret plan', 'Recap']);
    expect(await titles(t.spectator.token)).toEqual(['Recap']);

    expect(isProblem(await call('GET', `${base(t)}/notes/${gmNote.body.id}`, { token: t.player.token }), 404)).toBe(true);
    expect(isProblem(await call('GET', `${base(t)}/notes/${whisper.body.id}`, { token: t.otherPlayer.token }), 404)).toBe(true);
    expect((await call('GET', `${base(t)}/notes/${toGm.body.id}`, { token: t.gm.token })).status).toBe(200);
    expect(isProblem(await call('PATCH', `${base(t)}/notes/${party.body.id}`, { token: t.player.token, body: { title: 'mine now' } }), 403)).toBe(true);
    expect((await call('PATCH', `${base(t)}/notes/${toGm.body.id}`, { token: t.otherPlayer.token, body: { body: 'revised' } })).body.body).toBe('revised');
    expect(isProblem(await call('POST', `${base(t)}/notes`, { token: t.spectator.token, body: { title: 'x' } }), 403)).toBe(true);
    const noRecipient = await call('POST', `${base(t)}/notes`, { token: t.gm.token, body: { title: 'x', visibility: 'player' } });
    expect(isProblem(noRecipient, 400)).toBe(true);
    expect(noRecipient.body.errors[0].path).toBe('body.recipientUserId');
    expect(isProblem(await call('POST', `${base(t)}/notes`, { token: t.gm.token, body: { title: 'x', visibility: 'player', recipientUserId: t.outsider.id } }), 400)).toBe(true);
  });
});
