/**
 * The services called directly, as MCP tools, the narrator and cron jobs will
 * call them: a Scope, no HTTP. Their business rules and authorisation hold
 * without any route in front of them.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal';
import { ProblemError } from '../../src/lib/problem';
import { getCampaign, listCampaigns } from '../../src/services/campaigns';
import { createCharacter, updateCharacter } from '../../src/services/characters';
import { listRevisions } from '../../src/services/history';
import { createLore, getLore, listLore } from '../../src/services/lore';
import { listMembers, removeMember } from '../../src/services/members';
import { createNote, getNote, listNotes } from '../../src/services/notes';
import { systemScope, type Scope } from '../../src/services/scope';
import { postToSession, scheduleSession, startSession } from '../../src/services/sessions';
import { setUpTable, type TestUser } from '../support/api';

const as = (user: TestUser): Scope => systemScope(env, {
  principal: { userId: user.id, email: user.email, displayName: user.email.split('@')[0]!, via: 'api-key' } satisfies Principal,
  requestId: 'services-test',
});

/** The domain error a service threw, by its door-neutral code. */
async function failure(promise: Promise<unknown>): Promise<{ code: string; status: number; message: string; errors?: unknown }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ProblemError) return { code: err.code, status: err.status, message: err.message, errors: err.problem.errors };
    throw err;
  }
  throw new Error('expected the service to refuse');
}

describe('services without HTTP', () => {
  it('need a caller, and hide other tenants behind not-found', async () => {
    const t = await setUpTable();
    expect(await failure(listCampaigns(systemScope(env), { status: 'all' }))).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(await failure(getCampaign(as(t.otherGm), t.campaignId))).toMatchObject({ code: 'not-found' });
    expect(await failure(getCampaign(as(t.outsider), t.campaignId))).toMatchObject({ code: 'not-found' });
    expect((await getCampaign(as(t.spectator), t.campaignId)).myRole).toBe('spectator');
  });

  it('keep the last GM and the rules of ownership and sheets', async () => {
    const t = await setUpTable();
    expect(await failure(removeMember(as(t.gm), t.campaignId, t.gm.id))).toMatchObject({ code: 'conflict' });
    expect(await failure(removeMember(as(t.player), t.campaignId, t.otherPlayer.id))).toMatchObject({ code: 'forbidden' });
    expect(await failure(createCharacter(as(t.gm), t.campaignId, { name: 'Stray', sheet: {} as never, ownerUserId: t.outsider.id })))
      .toMatchObject({ code: 'bad-request', errors: [{ path: 'body.ownerUserId' }] });
    const pc = await createCharacter(as(t.player), t.campaignId, { name: 'Tamsin', sheet: {} as never });
    expect(await failure(updateCharacter(as(t.player), t.campaignId, pc.id, { sheet: { abilities: { str: 99 } } }))).toMatchObject({ code: 'validation-failed' });
    expect(await failure(updateCharacter(as(t.otherPlayer), t.campaignId, pc.id, { name: 'Mine now' }))).toMatchObject({ code: 'forbidden' });
    expect(await failure(updateCharacter(as(t.spectator), t.campaignId, pc.id, { name: 'Watcher' }))).toMatchObject({ code: 'forbidden' });
    expect((await updateCharacter(as(t.gm), t.campaignId, pc.id, { name: 'Tamsin Vale' })).version).toBe(2);
  });

  it('redact GM secrets, emails and other people\'s notes through the one policy', async () => {
    const t = await setUpTable();
    const npc = await createLore(as(t.gm), 'npc', t.campaignId, { name: 'Belak', visibility: 'party', data: {}, gmOnly: { motivation: 'Serves the Gulthias Tree' } });
    await createLore(as(t.gm), 'npc', t.campaignId, { name: 'Hidden Dragon', visibility: 'gm', data: {}, gmOnly: {} });
    expect(await getLore(as(t.gm), 'npc', t.campaignId, npc.id)).toHaveProperty('gmOnly.motivation', 'Serves the Gulthias Tree');
    const seen = await getLore(as(t.player), 'npc', t.campaignId, npc.id);
    expect(seen).not.toHaveProperty('gmOnly');
    expect(JSON.stringify(seen)).not.toContain('Gulthias');
    expect((await listLore(as(t.player), 'npc', t.campaignId, {})).map((n) => n.name)).toEqual(['Belak']);
    expect((await listMembers(as(t.player), t.campaignId)).every((m) => !('email' in m))).toBe(true);
    expect((await listMembers(as(t.gm), t.campaignId)).every((m) => typeof m.email === 'string')).toBe(true);

    const note = await createNote(as(t.player), t.campaignId, { title: 'For Bob', body: 'psst', category: 'general', visibility: 'player', recipientUserId: t.otherPlayer.id });
    expect((await getNote(as(t.otherPlayer), t.campaignId, note.id)).body).toBe('psst');
    expect(await failure(getNote(as(t.spectator), t.campaignId, note.id))).toMatchObject({ code: 'not-found' });
    expect((await listNotes(as(t.spectator), t.campaignId, { limit: 50, offset: 0 })).map((n) => n.id)).not.toContain(note.id);
    expect(await failure(listRevisions(as(t.player), t.campaignId, { limit: 10, offset: 0 }))).toMatchObject({ code: 'forbidden' });
  });

  it('run the live table\'s rules for a caller that is not a socket', async () => {
    const t = await setUpTable();
    const session = await scheduleSession(as(t.gm), t.campaignId, { title: 'Session 1' });
    expect(await failure(postToSession(as(t.player), session.id, { type: 'chat', text: 'early', mode: 'ooc' } as never))).toMatchObject({ code: 'conflict' });
    await startSession(as(t.gm), session.id);
    const events = await postToSession(as(t.player), session.id, { type: 'roll', expression: '4d6kh3', hidden: false } as never);
    expect(events[0]).toMatchObject({ type: 'roll', actor: { userId: t.player.id } });
    expect(await failure(postToSession(as(t.spectator), session.id, { type: 'chat', text: 'hi', mode: 'ooc' } as never))).toMatchObject({ code: 'forbidden' });
    expect(await failure(postToSession(as(t.otherGm), session.id, { type: 'chat', text: 'hi', mode: 'ooc' } as never))).toMatchObject({ code: 'not-found' });
  });
});
