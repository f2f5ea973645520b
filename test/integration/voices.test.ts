/**
 * Voices (opt-in per campaign): the narration spoken after it finishes, to its audience only, the audio kept in R2
 * by content hash and served to members with byte ranges; the GM previews a voice; each NPC keeps its speaker; the
 * placeholder tones are labelled and free; Workers AI's Aura 2 path with a typed fake of the binding.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { TONES_LABEL } from '../../src/ai/speech';
import type { AiBinding } from '../../src/ai/workers-ai';
import { systemScope } from '../../src/services/scope';
import { synthesize } from '../../src/services/speech';
import { call, isProblem } from '../support/api';
import { liveTable } from '../support/live-table';
import { connect } from '../support/socket';
import { exports } from 'cloudflare:workers';

const audio = (path: string, token: string, headers: Record<string, string> = {}) =>
  exports.default.fetch(new Request(`http://lorekeeper.test${path}`, { headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': '198.51.100.7', ...headers } }));

describe('voices', () => {
  it('are off until the GM turns them on; the settings name what speaks and its speakers', async () => {
    const t = await liveTable();
    const settings = (body: Record<string, unknown>, token = t.gm.token) => call('PUT', `/api/campaigns/${t.campaignId}/narrator`, { token, body });
    const read = await call('GET', `/api/campaigns/${t.campaignId}/narrator`, { token: t.player.token });
    expect(read.body.speech).toEqual({ enabled: false, narratorVoice: '', kind: 'tones', model: 'tones', label: TONES_LABEL, voices: ['low', 'middle', 'high', 'bright', 'deep'] });
    expect(isProblem(await settings({ speech: { enabled: true } }, t.player.token), 403)).toBe(true);
    const wrong = await settings({ speech: { enabled: true, narratorVoice: 'luna' } });
    expect(isProblem(wrong, 422)).toBe(true);
    expect(wrong.body.errors[0].path).toBe('body.speech.narratorVoice');
    // Off: a preview is refused with what to do.
    expect(isProblem(await call('POST', `/api/campaigns/${t.campaignId}/speech`, { token: t.gm.token, body: { text: 'Hello' } }), 409)).toBe(true);
    const on = await settings({ speech: { enabled: true, narratorVoice: 'deep' } });
    expect(on.body.speech).toMatchObject({ enabled: true, narratorVoice: 'deep' });
    // Other settings keep the voice.
    expect((await settings({ stylePreset: 'horror' })).body.speech).toMatchObject({ enabled: true, narratorVoice: 'deep' });
  });

  it("speaks a finished narration to its audience, in the NPC's own voice, served with byte ranges; GM-only audio stays with GMs", async () => {
    const t = await liveTable();
    await call('PUT', `/api/campaigns/${t.campaignId}/narrator`, { token: t.gm.token, body: { speech: { enabled: true } } });
    const npc = await call('POST', `/api/campaigns/${t.campaignId}/npcs`, { token: t.gm.token, body: { name: 'Sister Maud', data: { speaker: 'bright' } } });
    const [gm, player] = await Promise.all([connect(t.gm, t.sessionId, 'gm'), connect(t.player, t.sessionId, 'player')]);
    gm.send({ type: 'narrate', kind: 'npc', npcId: npc.body.id, prompt: 'Maud greets the party' });
    const spoken = await player.waitFor((e) => e.type === 'narration.audio', 10_000, 'narration audio');
    const narration = player.ofType('narration')[0]!;
    expect(narration).toMatchObject({ status: 'complete', npcId: npc.body.id });
    expect(spoken).toMatchObject({ narrationId: narration.narrationId, voice: 'bright', label: TONES_LABEL, contentType: 'audio/wav', audience: 'all', url: `/api/campaigns/${t.campaignId}/audio/${spoken.audioId}` });
    expect(spoken.seq).toBeGreaterThan(narration.seq as number);

    const whole = await audio(String(spoken.url), t.player.token);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const bytes = new Uint8Array(await whole.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe('RIFF');
    expect(bytes.byteLength).toBeGreaterThan(1000);
    const part = await audio(String(spoken.url), t.player.token, { range: 'bytes=0-43' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-43/${bytes.byteLength}`);
    expect((await part.arrayBuffer()).byteLength).toBe(44);
    expect((await audio(String(spoken.url), t.outsider.token)).status).toBe(404);
    expect((await audio(`/api/campaigns/${t.campaignId}/audio/not-an-id`, t.player.token)).status).toBe(400);

    // A GM-only preview is spoken for the GMs only; its audio is not served to players.
    gm.send({ type: 'narrate', prompt: 'The abbess is the cult leader', audience: 'gm' });
    const secret = await gm.waitFor((e) => e.type === 'narration.audio' && e.audience === 'gm', 10_000, 'gm audio');
    expect(secret.voice).toBe('low');
    expect((await audio(String(secret.url), t.player.token)).status).toBe(404);
    expect((await audio(String(secret.url), t.gm.token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(player.ofType('narration.audio')).toHaveLength(1);

    // The tones are free: the usage view counts them at no cost.
    const usage = await call('GET', `/api/campaigns/${t.campaignId}/ai/usage`, { token: t.gm.token });
    expect(usage.body.today.byKind).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'speech', provider: 'tones', calls: 2, costMicroUsd: 0 })]));
    gm.close();
    player.close();
  });

  it("lets the GM preview a line in a voice; the same words in the same voice are made once; an NPC's default speaker is steady", async () => {
    const t = await liveTable();
    await call('PUT', `/api/campaigns/${t.campaignId}/narrator`, { token: t.gm.token, body: { speech: { enabled: true } } });
    const preview = (body: Record<string, unknown>, token = t.gm.token) => call('POST', `/api/campaigns/${t.campaignId}/speech`, { token, body });
    const first = await preview({ text: 'Welcome, travellers.', voice: 'high' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ voice: 'high', cached: false, contentType: 'audio/wav', label: TONES_LABEL });
    expect((await preview({ text: 'Welcome, travellers.', voice: 'high' })).body).toMatchObject({ audioId: first.body.audioId, cached: true });
    expect((await preview({ text: 'Welcome, travellers.', voice: 'low' })).body.audioId).not.toBe(first.body.audioId);
    const npc = await call('POST', `/api/campaigns/${t.campaignId}/npcs`, { token: t.gm.token, body: { name: 'Old Mag' } });
    const a = await preview({ text: 'Hm.', npcId: npc.body.id });
    const b = await preview({ text: 'Another line.', npcId: npc.body.id });
    expect(a.body.voice).toBe(b.body.voice);
    expect(isProblem(await preview({ text: 'Hi', voice: 'luna' }), 400)).toBe(true);
    expect(isProblem(await preview({ text: 'Hi' }, t.player.token), 403)).toBe(true);
    expect(isProblem(await preview({ text: 'x'.repeat(1001) }), 400)).toBe(true);
    expect(isProblem(await preview({ text: 'Hi', npcId: crypto.randomUUID() }), 404)).toBe(true);
    // The preview is the GM's: players cannot fetch it.
    expect((await audio(first.body.url, t.player.token)).status).toBe(404);
    // The same words later spoken to the table (same voice): the stored audio becomes the table's, made once.
    const gmScope = systemScope(env, { principal: { userId: t.gm.id, email: '', displayName: 'GM', via: 'access-token' } });
    const table = await synthesize(gmScope, { campaignId: t.campaignId, userId: t.gm.id }, { text: 'Welcome, travellers.', voice: 'high', audience: 'party' });
    expect(table).toMatchObject({ audioId: first.body.audioId, cached: true });
    expect((await audio(first.body.url, t.player.token)).status).toBe(200);
  });

  it('uses Workers AI Aura 2 where bound (typed fake): the speaker asked, MP3 stored, characters priced', async () => {
    const t = await liveTable();
    const calls: [string, Record<string, unknown>][] = [];
    const mp3 = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 1, 2, 3]);
    const ai: AiBinding = { run: async (model, inputs) => { calls.push([model, inputs]); return new ReadableStream({ start(c) { c.enqueue(mp3); c.close(); } }); } };
    const scope = systemScope({ ...env, AI: ai } as Env, { principal: { userId: t.gm.id, email: '', displayName: 'GM', via: 'access-token' } });
    const spoken = await synthesize(scope, { campaignId: t.campaignId, userId: t.gm.id }, { text: 'The gate groans open.', voice: 'orion', audience: 'party' });
    expect(spoken).toMatchObject({ contentType: 'audio/mpeg', bytes: mp3.byteLength, voice: 'orion', label: '@cf/deepgram/aura-2-en (Workers AI)', cached: false });
    expect(calls).toEqual([['@cf/deepgram/aura-2-en', { text: 'The gate groans open.', speaker: 'orion', encoding: 'mp3' }]]);
    const stored = await env.FILES.get(`audio/${t.campaignId}/${spoken.audioId}`);
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(mp3);
    expect((await synthesize(scope, { campaignId: t.campaignId, userId: t.gm.id }, { text: 'The gate groans open.', voice: 'orion', audience: 'party' })).cached).toBe(true);
    expect(calls).toHaveLength(1);
    const usage = await call('GET', `/api/campaigns/${t.campaignId}/ai/usage`, { token: t.gm.token });
    // 21 characters at $0.03 per thousand.
    expect(usage.body.today.byKind).toEqual([expect.objectContaining({ kind: 'speech', provider: 'workers-ai', calls: 1, costMicroUsd: 630 })]);
    // A model that fails is a clear 503; nothing is stored.
    const down = systemScope({ ...env, AI: { run: async () => { throw new Error('upstream 500'); } } } as unknown as Env, { principal: { userId: t.gm.id, email: '', displayName: 'GM', via: 'access-token' } });
    await expect(synthesize(down, { campaignId: t.campaignId, userId: t.gm.id }, { text: 'Silence.', voice: 'orion', audience: 'party' })).rejects.toMatchObject({ status: 503 });
  });
});
