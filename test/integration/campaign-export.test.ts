/** The GM's campaign file: everything the campaign holds, without other people's account data. */
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
