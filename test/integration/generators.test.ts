/**
 * Generators through the real Worker: NPCs, locations and encounters previewed (templates without a model, labelled)
 * and accepted as normal versioned records; encounters from the campaign's own stat blocks, rated by the server;
 * the Workers AI path with a typed fake of the binding (JSON mode), usage recorded, and the per-user pace of model
 * calls shared by every door.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client';
import { rulebookChunks, rulebooks } from '../../src/db/schema';
import type { AiBinding } from '../../src/ai/workers-ai';
import { generateEncounter } from '../../src/services/encounters';
import { generateNpc } from '../../src/services/generators';
import { systemScope } from '../../src/services/scope';
import { seededRng } from '../../src/game/dice';
import { call, isProblem, setUpTable, type Table } from '../support/api';

const gen = (t: Table, what: string, body: Record<string, unknown>, token = t.gm.token) => call('POST', `/api/campaigns/${t.campaignId}/generate/${what}`, { token, body });

describe('generators', () => {
  it('previews an NPC and a location from templates (labelled) that save as normal versioned records; GM only', async () => {
    const t = await setUpTable();
    const npc = await gen(t, 'npc', { role: 'ferryman', race: 'dwarf', idea: 'Knows the river too well' });
    expect(npc.status).toBe(200);
    expect(npc.body).toMatchObject({ kind: 'npc', visibility: 'party', label: 'Template (no AI model configured)', data: { role: 'ferryman', locationId: null }, accept: { path: `/api/campaigns/${t.campaignId}/npcs` } });
    expect(npc.body.data.personality.voice).not.toBe('');
    expect(npc.body.gmOnly.secrets).toHaveLength(1);
    const saved = await call('POST', npc.body.accept.path, { token: t.gm.token, body: { name: npc.body.name, visibility: npc.body.visibility, data: npc.body.data, gmOnly: npc.body.gmOnly } });
    expect(saved.status).toBe(201);
    expect(saved.body.version).toBe(1);
    // The player reads the NPC the party knows, never the generated secrets.
    const asPlayer = await call('GET', `/api/campaigns/${t.campaignId}/npcs/${saved.body.id}`, { token: t.player.token });
    expect(asPlayer.body.gmOnly).toBeUndefined();
    const history = await call('GET', `/api/campaigns/${t.campaignId}/revisions?entityType=npc&entityId=${saved.body.id}`, { token: t.gm.token });
    expect(history.body.items).toHaveLength(1);

    const place = await gen(t, 'location', { kind: 'temple', parentLocationId: undefined });
    expect(place.body).toMatchObject({ kind: 'location', data: { kind: 'temple', parentLocationId: null } });
    const savedPlace = await call('POST', place.body.accept.path, { token: t.gm.token, body: { name: place.body.name, data: place.body.data, gmOnly: place.body.gmOnly } });
    expect(savedPlace.status).toBe(201);
    const inside = await gen(t, 'npc', { locationId: savedPlace.body.id });
    expect(inside.body.data.locationId).toBe(savedPlace.body.id);

    // Players do not write the world; another campaign's location is not found.
    expect(isProblem(await gen(t, 'npc', {}, t.player.token), 403)).toBe(true);
    expect(isProblem(await gen(t, 'location', {}, t.outsider.token), 404)).toBe(true);
    const foreign = await call('POST', `/api/campaigns/${t.otherCampaignId}/locations`, { token: t.otherGm.token, body: { name: 'Elsewhere' } });
    expect(isProblem(await gen(t, 'npc', { locationId: foreign.body.id }), 404)).toBe(true);
    expect(isProblem(await gen(t, 'npc', { idea: 'x'.repeat(501) }), 400)).toBe(true);
  });

  it('builds an encounter for the party from monsters the GM names, rated by the server, to note and to put in initiative', async () => {
    const t = await setUpTable();
    // No player characters yet: the levels must be given.
    expect(isProblem(await gen(t, 'encounter', { monsters: [{ name: 'Goblin', cr: '1/4' }] }), 422)).toBe(true);
    const body = { difficulty: 'hard', partyLevels: [3, 3, 3, 3], monsters: [{ name: 'Goblin', cr: '1/4' }, { name: 'Bugbear', cr: '1' }, { name: 'Ogre', cr: '2' }] };
    const enc = await gen(t, 'encounter', body);
    expect(enc.status).toBe(200);
    expect(enc.body).toMatchObject({ kind: 'encounter', difficulty: 'hard', rating: 'hard', partyLevels: [3, 3, 3, 3], xp: { thresholds: { easy: 300, medium: 600, hard: 900, deadly: 1600 } } });
    expect(enc.body.xp.adjusted).toBeGreaterThanOrEqual(900);
    expect(enc.body.xp.adjusted).toBeLessThan(1600);
    expect(enc.body.xp.raw * enc.body.xp.multiplier).toBeCloseTo(enc.body.xp.adjusted, 0);
    expect(enc.body.initiative.map((f: { count: number }) => f.count)).toEqual(enc.body.monsters.map((m: { count: number }) => m.count));
    const note = await call('POST', enc.body.accept.path, { token: t.gm.token, body: enc.body.note });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ category: 'combat', visibility: 'gm' });
    expect((await call('GET', `/api/campaigns/${t.campaignId}/notes`, { token: t.player.token })).body.items.map((n: { id: string }) => n.id)).not.toContain(note.body.id);
    // A challenge rating that is not one, and a party the monsters cannot threaten, are clear 4xx answers.
    expect(isProblem(await gen(t, 'encounter', { ...body, monsters: [{ name: 'Blob', cr: '3/4' }] }), 400)).toBe(true);
    const weak = await gen(t, 'encounter', { difficulty: 'deadly', partyLevels: [20, 20, 20, 20, 20, 20], monsters: [{ name: 'Rat', cr: '0' }] });
    expect(isProblem(weak, 422)).toBe(true);
    expect(weak.body.detail).toMatch(/No mix of these monsters makes a deadly encounter/);
    expect(isProblem(await gen(t, 'encounter', body, t.player.token), 403)).toBe(true);
  });

  it("draws monsters from the campaign's own stat blocks, cited to their pages, and defaults to the party's levels", async () => {
    const t = await setUpTable();
    const db = createDatabase(env.DB);
    expect(isProblem(await gen(t, 'encounter', { partyLevels: [2] }), 422)).toBe(true);
    const bookId = crypto.randomUUID();
    await db.insert(rulebooks).values({ id: bookId, campaignId: t.campaignId, title: 'Bestiary', filename: 'b.pdf', r2Key: `rulebooks/${t.campaignId}/${bookId}.pdf`, sha256: 'x', sizeBytes: 1, status: 'ready', stage: 'ready' });
    const monster = (ordinal: number, name: string, text: string) => ({ rulebookId: bookId, campaignId: t.campaignId, generation: 1, page: 10 + ordinal, ordinal, headingPath: JSON.stringify(['Monsters', name]), heading: name, contentType: 'monster', text });
    await db.insert(rulebookChunks).values([
      monster(1, 'Ghoul', 'Medium undead, chaotic evil Armor Class 12 Hit Points 22 (5d8) Speed 30 ft. STR DEX CON INT WIS CHA 13 (+1) 15 (+2) 10 (+0) 7 (−2) 10 (+0) 6 (−2) Challenge 1 (200 XP)'),
      monster(2, 'Zombie', 'Medium undead, neutral evil Armor Class 8 Hit Points 22 (3d8 + 9) Speed 20 ft. STR DEX CON INT WIS CHA 13 (+1) 6 (−2) 16 (+3) 3 (−4) 6 (−2) 5 (−3) Challenge 1/4 (50 XP)'),
      monster(3, 'Wolf', 'Medium beast, unaligned Armor Class 13 (natural armor) Hit Points 11 (2d8 + 2) Speed 40 ft. STR DEX CON INT WIS CHA 12 (+1) 15 (+2) 12 (+1) 3 (−4) 12 (+1) 6 (−2) Challenge 1/4 (50 XP)'),
    ]);
    await call('POST', `/api/campaigns/${t.campaignId}/characters`, { token: t.player.token, body: { name: 'Tamsin', sheet: { level: 2 } } });
    await call('POST', `/api/campaigns/${t.campaignId}/characters`, { token: t.otherPlayer.token, body: { name: 'Brom', sheet: { level: 2 } } });
    const enc = await gen(t, 'encounter', { difficulty: 'medium', creatureType: 'undead' });
    expect(enc.status).toBe(200);
    expect(enc.body.partyLevels).toEqual([2, 2]);
    expect(enc.body.rating).toBe('medium');
    for (const m of enc.body.monsters) {
      expect(['Ghoul', 'Zombie']).toContain(m.name);
      expect(m.source).toMatchObject({ rulebookId: bookId, url: expect.stringMatching(new RegExp(`^/api/files/rulebooks/${bookId}\\?exp=\\d+&sig=.+#page=\\d+$`)) });
      expect(m.armorClass).toBeGreaterThan(0);
    }
    // What the tracker needs: Dexterity modifier, hit points, armour class, the stat block's abilities.
    const ghoul = enc.body.initiative.find((f: { name: string }) => f.name === 'Ghoul');
    if (ghoul) expect(ghoul).toMatchObject({ type: 'initiative.add', kind: 'monster', bonus: 2, hp: { max: 22 }, armorClass: 12, stats: { abilities: { dex: 15 } } });
    expect(isProblem(await gen(t, 'encounter', { creatureType: 'dragon' }), 422)).toBe(true);
    // Another campaign does not see these books.
    const other = await call('POST', `/api/campaigns/${t.otherCampaignId}/generate/encounter`, { token: t.otherGm.token, body: { partyLevels: [2, 2] } });
    expect(isProblem(other, 422)).toBe(true);
    // Repeatable with a seeded random source (the service takes one).
    const scope = systemScope(env, { principal: { userId: t.gm.id, email: '', displayName: 'GM', via: 'access-token' } });
    const a = await generateEncounter(scope, t.campaignId, { difficulty: 'medium', creatureType: 'undead' }, seededRng(7));
    const b = await generateEncounter(scope, t.campaignId, { difficulty: 'medium', creatureType: 'undead' }, seededRng(7));
    expect(a.monsters.map((m) => [m.name, m.count])).toEqual(b.monsters.map((m) => [m.name, m.count]));
  });

  it('asks Workers AI in JSON mode when it is bound, records the call, and holds each user to the per-minute pace', async () => {
    const t = await setUpTable();
    const asked: Record<string, unknown>[] = [];
    const ai: AiBinding = {
      run: async (_model, inputs) => {
        asked.push(inputs);
        return {
          response: { name: 'Sister Maud', role: 'abbess', description: 'Keeper of the drowned abbey.', appearance: 'Grey habit', traits: ['Patient'], ideals: ['Mercy'], bonds: ['The abbey'], flaws: ['Proud'], voice: 'Slow and kind', mannerisms: ['Folds her hands'], motivation: 'Hide the relic', secrets: ['She sank the abbey herself'] },
          usage: { prompt_tokens: 120, completion_tokens: 80 },
        };
      },
    };
    const principal = { userId: t.gm.id, email: '', displayName: 'GM', via: 'access-token' as const };
    const scope = systemScope({ ...env, AI: ai, AI_CALLS_PER_MINUTE_PER_USER: '2' } as Env, { principal });
    const npc = await generateNpc(scope, t.campaignId, { idea: 'An abbess with a secret' });
    expect(npc).toMatchObject({ name: 'Sister Maud', label: expect.stringContaining('(Workers AI)'), data: { role: 'abbess' }, gmOnly: { secrets: ['She sank the abbey herself'] } });
    expect(asked[0]!.response_format).toMatchObject({ type: 'json_schema' });
    // The request is data to the model: the GM's idea travels inside the JSON of the user message.
    expect(JSON.stringify(asked[0]!.messages)).toContain('An abbess with a secret');
    const usage = await call('GET', `/api/campaigns/${t.campaignId}/ai/usage`, { token: t.gm.token });
    expect(usage.body.today.byKind).toEqual([expect.objectContaining({ kind: 'generation', provider: 'workers-ai', calls: 1, inputTokens: 120, outputTokens: 80 })]);
    expect(usage.body.today.costMicroUsd).toBeGreaterThan(0);
    await generateNpc(scope, t.campaignId, {});
    await expect(generateNpc(scope, t.campaignId, {})).rejects.toMatchObject({ status: 429, headers: { 'Retry-After': expect.any(String) } });
    expect(asked).toHaveLength(2);
    // A model that cannot produce valid output twice is a clear 502, and nothing was stored.
    const broken = systemScope({ ...env, AI: { run: async () => ({ response: 'I would rather tell a story' }) } } as unknown as Env, { principal: { ...principal, userId: t.player.id } });
    const gm2 = await setUpTable();
    const brokenGm = systemScope({ ...env, AI: { run: async () => ({ response: 'I would rather tell a story' }) } } as unknown as Env, { principal: { ...principal, userId: gm2.gm.id } });
    await expect(generateNpc(brokenGm, gm2.campaignId, {})).rejects.toMatchObject({ status: 502 });
    await expect(generateNpc(broken, t.campaignId, {})).rejects.toMatchObject({ status: 403 });
  });
});
