/**
 * Characters as files: import from Foundry VTT's dnd5e actor JSON (with the
 * report of what could not be mapped), and export of a character, through
 * the real Worker.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import actor from '../fixtures/foundry-dnd5e-wizard.json';
import { call, isProblem, setUpTable, type Table } from '../support/api';

let t: Table;
beforeAll(async () => {
  t = await setUpTable();
});

const importActor = (token: string, body: unknown) => call('POST', `/api/campaigns/${t.campaignId}/characters/import/foundry`, { token, body });

describe('Foundry VTT import', () => {
  it("imports a player's dnd5e actor as their character, with a report, and keeps it as a revision", async () => {
    const res = await importActor(t.player.token, { actor });
    expect(res.status).toBe(201);
    expect(res.body.character).toMatchObject({ name: 'Ilsa Brightwater', ownerUserId: t.player.id, version: 1, canEdit: true });
    expect(res.body.character.sheet).toMatchObject({ class: 'Wizard', level: 4, hp: { max: 17, current: 14, temp: 3 } });
    expect(res.body.unmapped.length).toBeGreaterThan(3);
    const history = await call('GET', `/api/campaigns/${t.campaignId}/revisions?entityType=character&entityId=${res.body.character.id}`, { token: t.player.token });
    expect(history.body.items).toHaveLength(1);
  });

  it('refuses what is not an actor export, naming the field, and writes nothing', async () => {
    const before = (await call('GET', `/api/campaigns/${t.campaignId}/characters`, { token: t.gm.token })).body.items.length;
    const bad = await importActor(t.player.token, { actor: { type: 'character', system: {} } });
    expect(isProblem(bad, 400)).toBe(true);
    expect(bad.body.detail).toMatch(/not a Foundry VTT actor export/);
    expect(bad.body.errors[0].path).toBe('body.actor.name');
    expect(isProblem(await importActor(t.player.token, { actor: 'hello' }), 400)).toBe(true);
    expect(isProblem(await importActor(t.player.token, {}), 400)).toBe(true);
    expect((await call('GET', `/api/campaigns/${t.campaignId}/characters`, { token: t.gm.token })).body.items.length).toBe(before);
  });

  it('lets only the GM import for someone else; spectators and outsiders cannot import', async () => {
    expect(isProblem(await importActor(t.player.token, { actor, ownerUserId: t.otherPlayer.id }), 403)).toBe(true);
    const forOther = await importActor(t.gm.token, { actor, ownerUserId: t.otherPlayer.id });
    expect(forOther.body.character.ownerUserId).toBe(t.otherPlayer.id);
    expect(isProblem(await importActor(t.spectator.token, { actor }), 403)).toBe(true);
    expect(isProblem(await importActor(t.outsider.token, { actor }), 404)).toBe(true);
  });
});

describe('character export', () => {
  it('gives a versioned file with the name and the whole sheet, as a download', async () => {
    const created = await call('POST', `/api/campaigns/${t.campaignId}/characters`, { token: t.player.token, body: { name: 'Tamsin Vale', sheet: { class: 'Wizard', abilities: { int: 16 } } } });
    const res = await call('GET', `/api/campaigns/${t.campaignId}/characters/${created.body.id}/export`, { token: t.player.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="Tamsin Vale.json"');
    expect(res.body).toMatchObject({ format: 'lorekeeper.character', version: 1, name: 'Tamsin Vale' });
    expect(res.body.sheet).toEqual(created.body.sheet);
    // The file imports back as the same sheet.
    const again = await call('POST', `/api/campaigns/${t.campaignId}/characters`, { token: t.player.token, body: { name: res.body.name, sheet: res.body.sheet } });
    expect(again.body.sheet).toEqual(created.body.sheet);
    expect(isProblem(await call('GET', `/api/campaigns/${t.otherCampaignId}/characters/${created.body.id}/export`, { token: t.otherGm.token }), 404)).toBe(true);
  });
});
