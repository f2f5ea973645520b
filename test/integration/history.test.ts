import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, isProblem, setUpTable } from '../support/api';

const base = (t: { campaignId: string }) => `/api/campaigns/${t.campaignId}`;

describe('revisions', () => {
  it('records every change with author and time, diffs versions and restores (as a new revision)', async () => {
    const t = await setUpTable();
    const { body: pc } = await call('POST', `${base(t)}/characters`, { token: t.player.token, body: { name: 'Tamsin', sheet: { hp: { max: 10, current: 10 } } } });
    await call('PATCH', `${base(t)}/characters/${pc.id}`, { token: t.player.token, body: { sheet: { hp: { max: 10, current: 2 } } } });
    // A bad edit (say, an AI suggestion gone wrong) wipes the inventory and renames the character.
    await call('PATCH', `${base(t)}/characters/${pc.id}`, { token: t.gm.token, body: { name: 'Oops' } });

    const history = await call('GET', `${base(t)}/revisions?entityType=character&entityId=${pc.id}`, { token: t.player.token });
    expect(history.body.items.map((r: { version: number; action: string }) => [r.version, r.action])).toEqual([[3, 'update'], [2, 'update'], [1, 'create']]);
    expect(history.body.items[0].authorId).toBe(t.gm.id);
    expect(history.body.items[2].authorId).toBe(t.player.id);
    expect(history.body.items[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const second = history.body.items[1];
    const diff = await call('GET', `${base(t)}/revisions/${second.id}/diff`, { token: t.player.token });
    expect(diff.body.changes).toEqual(expect.arrayContaining([{ path: 'sheet.hp.current', op: 'change', before: 10, after: 2 }]));
    expect(diff.body.from.version).toBe(1);

    const restored = await call('POST', `${base(t)}/revisions/${second.id}/restore`, { token: t.player.token });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ version: 4, action: 'restore', restoredFrom: second.id, authorId: t.player.id });
    const now = await call('GET', `${base(t)}/characters/${pc.id}`, { token: t.player.token });
    expect(now.body).toMatchObject({ name: 'Tamsin', version: 4 });
    expect(now.body.sheet.hp.current).toBe(2);

    const against = await call('GET', `${base(t)}/revisions/${restored.body.id}/diff?against=${history.body.items[0].id}`, { token: t.gm.token });
    expect(against.body.changes).toEqual(expect.arrayContaining([{ path: 'name', op: 'change', before: 'Oops', after: 'Tamsin' }]));
  });

  it('brings deleted records back', async () => {
    const t = await setUpTable();
    const { body: npc } = await call('POST', `${base(t)}/npcs`, { token: t.gm.token, body: { name: 'Meepo' } });
    await call('DELETE', `${base(t)}/npcs/${npc.id}`, { token: t.gm.token });
    const history = await call('GET', `${base(t)}/revisions?entityType=npc&entityId=${npc.id}`, { token: t.gm.token });
    expect(history.body.items[0].action).toBe('delete');
    const created = history.body.items.find((r: { action: string }) => r.action === 'create');
    await call('POST', `${base(t)}/revisions/${created.id}/restore`, { token: t.gm.token });
    expect((await call('GET', `${base(t)}/npcs/${npc.id}`, { token: t.player.token })).body.name).toBe('Meepo');
  });

  it('writes each change and its revision together, and refuses a racing edit of the same version', async () => {
    const t = await setUpTable();
    const { body: pc } = await call('POST', `${base(t)}/characters`, { token: t.player.token, body: { name: 'Race' } });
    const results = await Promise.all([
      call('PATCH', `${base(t)}/characters/${pc.id}`, { token: t.player.token, body: { name: 'A', version: 1 } }),
      call('PATCH', `${base(t)}/characters/${pc.id}`, { token: t.gm.token, body: { name: 'B', version: 1 } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const rows = await env.DB.prepare("SELECT version FROM revisions WHERE entity_type = 'character' AND entity_id = ? ORDER BY version").bind(pc.id).all<{ version: number }>();
    expect(rows.results.map((r) => r.version)).toEqual([1, 2]);
    const row = await env.DB.prepare('SELECT version, name FROM characters WHERE id = ?').bind(pc.id).first<{ version: number; name: string }>();
    expect(row!.version).toBe(2);
  });

  it('players see only the history of what they may edit; only GMs browse everything', async () => {
    const t = await setUpTable();
    const { body: theirs } = await call('POST', `${base(t)}/characters`, { token: t.otherPlayer.token, body: { name: 'Theirs' } });
    const { body: npc } = await call('POST', `${base(t)}/npcs`, { token: t.gm.token, body: { name: 'Secretive', gmOnly: { secrets: ['a secret'] } } });
    expect(isProblem(await call('GET', `${base(t)}/revisions`, { token: t.player.token }), 403)).toBe(true);
    expect(isProblem(await call('GET', `${base(t)}/revisions?entityType=character&entityId=${theirs.id}`, { token: t.player.token }), 404)).toBe(true);
    expect(isProblem(await call('GET', `${base(t)}/revisions?entityType=npc&entityId=${npc.id}`, { token: t.player.token }), 404)).toBe(true);
    const all = await call('GET', `${base(t)}/revisions`, { token: t.gm.token });
    const npcRevision = all.body.items.find((r: { entityId: string }) => r.entityId === npc.id);
    expect(isProblem(await call('GET', `${base(t)}/revisions/${npcRevision.id}`, { token: t.player.token }), 404)).toBe(true);
    expect(isProblem(await call('POST', `${base(t)}/revisions/${npcRevision.id}/restore`, { token: t.player.token }), 404)).toBe(true);
    expect((await call('GET', `${base(t)}/revisions/${npcRevision.id}`, { token: t.gm.token })).body.snapshot.gmOnly.secrets).toEqual(['a secret']);
  });

  it('records campaign edits too', async () => {
    const t = await setUpTable();
    await call('PATCH', base(t), { token: t.gm.token, body: { description: 'Into the citadel' } });
    const history = await call('GET', `${base(t)}/revisions?entityType=campaign&entityId=${t.campaignId}`, { token: t.gm.token });
    expect(history.body.items.map((r: { action: string }) => r.action)).toEqual(['update', 'create']);
  });
});
