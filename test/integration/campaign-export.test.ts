/** The GM's campaign file: everything the campaign holds, without other people's account data, and back again. */
import { describe, expect, it } from 'vitest';
import { call, isProblem } from '../support/api';
import { liveTable } from '../support/live-table';

describe('campaign export', () => {
  it('gives the GM the whole campaign as one versioned file, with members as references', async () => {
    const t = await liveTable();
    const npc = await call('POST', `/api/campaigns/${t.campaignId}/npcs`, { token: t.gm.token, body: { name: 'Belak', visibility: 'gm', gmOnly: { motivation: 'The Gulthias tree' } } });
    await call('PATCH', `/api/campaigns/${t.campaignId}/characters/${t.tamsinId}`, { token: t.player.token, body: { name: 'Tamsin Vale' } });
    await call('POST', `/api/campaigns/${t.campaignId}/notes`, { token: t.player.token, body: { title: 'Loot', body: 'A +1 shield', visibility: 'party' } });
    await call('POST', `/api/sessions/${t.sessionId}/messages`, { token: t.player.token, body: { type: 'chat', text: 'We enter the citadel' } });
    await call('PUT', `/api/campaigns/${t.campaignId}/safety`, { token: t.gm.token, body: { lines: ['spiders'], veils: [] } });

    const res = await call('GET', `/api/campaigns/${t.campaignId}/export`, { token: t.gm.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="The Sunless Citadel.lorekeeper.json"');
    const file = res.body;
    expect(file).toMatchObject({ format: 'lorekeeper.campaign', version: 1, schema: '0004_rules_index', campaign: { name: 'The Sunless Citadel' }, truncated: null });
    expect(file.members.map((m: { role: string }) => m.role).sort()).toEqual(['gm', 'player', 'player', 'spectator']);
    expect(file.characters[0]).toMatchObject({ id: t.tamsinId, name: 'Tamsin Vale', version: 2 });
    expect(file.characters[0].owner).toMatch(/^m\d+$/);
    expect(file.npcs[0]).toMatchObject({ id: npc.body.id, name: 'Belak', gmOnly: { motivation: 'The Gulthias tree' } });
    expect(file.notes[0]).toMatchObject({ title: 'Loot', body: 'A +1 shield' });
    expect(file.revisions.filter((r: { entityId: string }) => r.entityId === t.tamsinId)).toHaveLength(2);
    const session = file.sessions.find((s: { id: string }) => s.id === t.sessionId);
    expect(session.events.some((e: { type: string; payload: { text?: string } }) => e.type === 'chat' && e.payload.text === 'We enter the citadel')).toBe(true);
    expect(file.safety).toEqual({ lines: ['spiders'], veils: [] });
    // No one's account data: no emails, no user ids.
    const text = JSON.stringify(file);
    for (const user of [t.gm, t.player, t.otherPlayer, t.spectator]) {
      expect(text).not.toContain(user.email);
      expect(text).not.toContain(user.id);
    }
  });

  it('is the GM\'s alone', async () => {
    const t = await liveTable();
    expect(isProblem(await call('GET', `/api/campaigns/${t.campaignId}/export`, { token: t.player.token }), 403)).toBe(true);
    expect(isProblem(await call('GET', `/api/campaigns/${t.campaignId}/export`, { token: t.otherGm.token }), 404)).toBe(true);
  });
});

/** What must survive a round trip: the records' content, without ids, timestamps of the file, owners and authors. */
function content(file: any) {
  const strip = (rows: any[], keys: string[] = []) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !['id', 'owner', 'author', 'recipient', 'createdBy', 'npcId', 'characterId', 'entityId', 'restoredFrom', ...keys].includes(k))));
  return {
    campaign: { ...file.campaign, id: undefined, createdAt: undefined },
    characters: strip(file.characters), npcs: strip(file.npcs), locations: strip(file.locations), plotThreads: strip(file.plotThreads),
    relationships: strip(file.relationships), notes: strip(file.notes), revisions: strip(file.revisions, ['snapshot']).map((r: any, i: number) => ({ ...r, snapshotName: file.revisions[i].snapshot?.name ?? null })),
    sessions: file.sessions.map((s: any) => ({ ...s, id: undefined, createdBy: undefined, status: s.status === 'live' ? 'ended' : s.status, endedAt: undefined, events: s.events.map((e: any) => ({ seq: e.seq, type: e.type, audience: e.audience, text: e.payload?.text ?? null })) })),
    safety: file.safety,
  };
}

describe('campaign import', () => {
  it('turns a campaign file into a new campaign with new ids; exporting it again gives the same content', async () => {
    const t = await liveTable();
    const npc = await call('POST', `/api/campaigns/${t.campaignId}/npcs`, { token: t.gm.token, body: { name: 'Meepo', visibility: 'party', data: { role: 'kobold' } } });
    await call('PUT', `/api/campaigns/${t.campaignId}/npcs/${npc.body.id}/relationships/${t.tamsinId}`, { token: t.gm.token, body: { score: 40, summary: 'Fed him' } });
    await call('PATCH', `/api/campaigns/${t.campaignId}/characters/${t.tamsinId}`, { token: t.player.token, body: { sheet: { hp: { max: 17, current: 9, temp: 0 } } } });
    await call('POST', `/api/campaigns/${t.campaignId}/notes`, { token: t.gm.token, body: { title: 'Secret', body: 'Belak is the druid', visibility: 'gm' } });
    await call('POST', `/api/sessions/${t.sessionId}/messages`, { token: t.player.token, body: { type: 'chat', text: 'Down the ravine' } });
    await call('POST', `/api/sessions/${t.sessionId}/end`, { token: t.gm.token });
    const original = (await call('GET', `/api/campaigns/${t.campaignId}/export`, { token: t.gm.token })).body;

    // Another GM, another account: the file is all they need.
    const imported = await call('POST', '/api/campaigns/import', { token: t.otherGm.token, body: original });
    expect(imported.status).toBe(201);
    expect(imported.body.campaignId).not.toBe(t.campaignId);
    expect(imported.body.imported).toMatchObject({ characters: 1, npcs: 1, relationships: 1, notes: 1, sessions: 1 });
    expect(imported.body.report.members.find((m: any) => m.characters.length)?.characters[0].name).toBe('Tamsin');

    const copy = (await call('GET', `/api/campaigns/${imported.body.campaignId}/export`, { token: t.otherGm.token })).body;
    expect(content(copy)).toEqual(content(original));
    // New ids everywhere, and the copy works like any campaign: history restores, the GM edits.
    const tamsin = copy.characters[0];
    expect(tamsin.id).not.toBe(t.tamsinId);
    expect(JSON.stringify(copy)).not.toContain(t.tamsinId);
    const history = await call('GET', `/api/campaigns/${imported.body.campaignId}/revisions?entityType=character&entityId=${tamsin.id}`, { token: t.otherGm.token });
    expect(history.body.items).toHaveLength(2);
    const restored = await call('POST', `/api/campaigns/${imported.body.campaignId}/revisions/${history.body.items[1].id}/restore`, { token: t.otherGm.token });
    expect(restored.status).toBe(200);
    expect((await call('PATCH', `/api/campaigns/${imported.body.campaignId}`, { token: t.otherGm.token, body: { name: 'The Sunless Citadel (copy)' } })).status).toBe(200);
    // The original is untouched and still only its own members'.
    expect(isProblem(await call('GET', `/api/campaigns/${t.campaignId}`, { token: t.otherGm.token }), 404)).toBe(true);
  });

  it('refuses a file from a newer schema or with broken references, and writes nothing', async () => {
    const t = await liveTable();
    const original = (await call('GET', `/api/campaigns/${t.campaignId}/export`, { token: t.gm.token })).body;
    const before = (await call('GET', '/api/campaigns', { token: t.otherGm.token })).body.items.length;
    const newer = await call('POST', '/api/campaigns/import', { token: t.otherGm.token, body: { ...original, schema: '9999_future' } });
    expect(isProblem(newer, 400)).toBe(true);
    expect(JSON.stringify(newer.body)).toContain('newer Lorekeeper');
    const broken = await call('POST', '/api/campaigns/import', { token: t.otherGm.token, body: { ...original, relationships: [{ id: 'r1', npcId: 'nobody', characterId: 'nothing', score: 1, summary: '', createdAt: 'x', updatedAt: 'x', deletedAt: null, version: 1 }] } });
    expect(isProblem(broken, 400)).toBe(true);
    const badSheet = await call('POST', '/api/campaigns/import', { token: t.otherGm.token, body: { ...original, characters: [{ ...original.characters[0], sheet: { hp: { max: 5, current: 50 } } }] } });
    expect(isProblem(badSheet, 400)).toBe(true);
    expect(badSheet.body.errors[0].path).toMatch(/^characters\.0\.sheet/);
    expect((await call('GET', '/api/campaigns', { token: t.otherGm.token })).body.items.length).toBe(before);
  });
});
