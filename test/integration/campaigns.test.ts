import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, isProblem, registerUser, setUpTable } from '../support/api';

describe('campaigns', () => {
  it('creates a campaign whose creator is GM, lists it and reads it', async () => {
    const gm = await registerUser('gm');
    const created = await call('POST', '/api/campaigns', { token: gm.token, body: { name: 'Curse of the Crimson Throne', setting: 'Korvosa' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Curse of the Crimson Throne', gameSystem: 'dnd5e', status: 'active', myRole: 'gm', version: 1 });
    const list = await call('GET', '/api/campaigns', { token: gm.token });
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
    const one = await call('GET', `/api/campaigns/${created.body.id}`, { token: gm.token });
    expect(one.body.memberCount).toBe(1);
  });

  it('lets the GM update; refuses stale versions with 409', async () => {
    const gm = await registerUser('gm');
    const { body: c } = await call('POST', '/api/campaigns', { token: gm.token, body: { name: 'Draft' } });
    const updated = await call('PATCH', `/api/campaigns/${c.id}`, { token: gm.token, body: { name: 'Final', version: 1 } });
    expect(updated.body).toMatchObject({ name: 'Final', version: 2 });
    expect(isProblem(await call('PATCH', `/api/campaigns/${c.id}`, { token: gm.token, body: { name: 'Stale', version: 1 } }), 409)).toBe(true);
  });

  it('archived campaigns are read-only until unarchived', async () => {
    const t = await setUpTable();
    expect((await call('POST', `/api/campaigns/${t.campaignId}/archive`, { token: t.gm.token })).body.status).toBe('archived');
    expect(isProblem(await call('POST', `/api/campaigns/${t.campaignId}/characters`, { token: t.player.token, body: { name: 'Late' } }), 409)).toBe(true);
    expect((await call('GET', `/api/campaigns/${t.campaignId}`, { token: t.player.token })).status).toBe(200);
    expect((await call('GET', '/api/campaigns', { token: t.player.token })).body.items).toHaveLength(0);
    expect((await call('GET', '/api/campaigns?status=archived', { token: t.player.token })).body.items).toHaveLength(1);
    expect((await call('POST', `/api/campaigns/${t.campaignId}/unarchive`, { token: t.gm.token })).body.status).toBe('active');
    expect((await call('POST', `/api/campaigns/${t.campaignId}/characters`, { token: t.player.token, body: { name: 'Late' } })).status).toBe(201);
  });
});

describe('invites and membership', () => {
  it('joins with a code, once per person, and respects max uses atomically', async () => {
    const gm = await registerUser('gm');
    const { body: c } = await call('POST', '/api/campaigns', { token: gm.token, body: { name: 'Invites' } });
    const { body: inv } = await call('POST', `/api/campaigns/${c.id}/invites`, { token: gm.token, body: { maxUses: 2, role: 'spectator' } });
    const [a, b, d] = await Promise.all([registerUser('a'), registerUser('b'), registerUser('d')]);
    const joined = await call('POST', '/api/invites/join', { token: a.token, body: { code: inv.code } });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ campaignId: c.id, role: 'spectator' });
    expect(isProblem(await call('POST', '/api/invites/join', { token: a.token, body: { code: inv.code } }), 409)).toBe(true);
    expect((await call('POST', '/api/invites/join', { token: b.token, body: { code: inv.code } })).status).toBe(201);
    const spent = await call('POST', '/api/invites/join', { token: d.token, body: { code: inv.code } });
    expect(isProblem(spent, 410)).toBe(true);
    const member = await env.DB.prepare('SELECT count(*) AS n FROM memberships WHERE campaign_id = ? AND user_id = ?').bind(c.id, d.id).first<{ n: number }>();
    expect(member!.n).toBe(0);
    const uses = await env.DB.prepare('SELECT uses FROM invites WHERE id = ?').bind(inv.id).first<{ uses: number }>();
    expect(uses!.uses).toBe(2);
  });

  it('refuses expired, revoked and unknown codes', async () => {
    const gm = await registerUser('gm');
    const { body: c } = await call('POST', '/api/campaigns', { token: gm.token, body: { name: 'Codes' } });
    const { body: expired } = await call('POST', `/api/campaigns/${c.id}/invites`, { token: gm.token, body: {} });
    await env.DB.prepare("UPDATE invites SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id = ?").bind(expired.id).run();
    const { body: revoked } = await call('POST', `/api/campaigns/${c.id}/invites`, { token: gm.token, body: {} });
    expect((await call('DELETE', `/api/campaigns/${c.id}/invites/${revoked.id}`, { token: gm.token })).status).toBe(204);
    const user = await registerUser('joiner');
    expect(isProblem(await call('POST', '/api/invites/join', { token: user.token, body: { code: expired.code } }), 410)).toBe(true);
    expect(isProblem(await call('POST', '/api/invites/join', { token: user.token, body: { code: revoked.code } }), 404)).toBe(true);
    expect(isProblem(await call('POST', '/api/invites/join', { token: user.token, body: { code: 'NOSUCHCODE' } }), 404)).toBe(true);
    expect(isProblem(await call('POST', '/api/invites/join', { token: user.token, body: { code: 'bad code!' } }), 400)).toBe(true);
    const invites = await call('GET', `/api/campaigns/${c.id}/invites`, { token: gm.token });
    expect(invites.body.items).toHaveLength(2);
  });

  it('shows members (emails to GMs only), changes roles and keeps at least one GM', async () => {
    const t = await setUpTable();
    const asPlayer = await call('GET', `/api/campaigns/${t.campaignId}/members`, { token: t.player.token });
    expect(asPlayer.body.items).toHaveLength(4);
    expect(asPlayer.body.items.every((m: { email?: string }) => m.email === undefined)).toBe(true);
    const asGm = await call('GET', `/api/campaigns/${t.campaignId}/members`, { token: t.gm.token });
    expect(asGm.body.items.every((m: { email?: string }) => typeof m.email === 'string')).toBe(true);

    expect(isProblem(await call('PATCH', `/api/campaigns/${t.campaignId}/members/${t.gm.id}`, { token: t.gm.token, body: { role: 'player' } }), 409)).toBe(true);
    expect(isProblem(await call('DELETE', `/api/campaigns/${t.campaignId}/members/${t.gm.id}`, { token: t.gm.token }), 409)).toBe(true);

    const promoted = await call('PATCH', `/api/campaigns/${t.campaignId}/members/${t.player.id}`, { token: t.gm.token, body: { role: 'gm' } });
    expect(promoted.body.role).toBe('gm');
    expect((await call('DELETE', `/api/campaigns/${t.campaignId}/members/${t.gm.id}`, { token: t.gm.token })).status).toBe(204);
    expect(isProblem(await call('GET', `/api/campaigns/${t.campaignId}`, { token: t.gm.token }), 404)).toBe(true);

    const roleAudit = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE type = 'member.role_change' AND campaign_id = ?").bind(t.campaignId).first<{ n: number }>();
    expect(roleAudit!.n).toBe(1);
  });

  it('players may leave but not remove others; the GM may remove anyone', async () => {
    const t = await setUpTable();
    expect(isProblem(await call('DELETE', `/api/campaigns/${t.campaignId}/members/${t.otherPlayer.id}`, { token: t.player.token }), 403)).toBe(true);
    expect((await call('DELETE', `/api/campaigns/${t.campaignId}/members/${t.player.id}`, { token: t.player.token })).status).toBe(204);
    expect((await call('DELETE', `/api/campaigns/${t.campaignId}/members/${t.spectator.id}`, { token: t.gm.token })).status).toBe(204);
    expect(isProblem(await call('GET', `/api/campaigns/${t.campaignId}/characters`, { token: t.spectator.token }), 404)).toBe(true);
  });
});
