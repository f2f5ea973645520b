/**
 * The MCP door, driven by the official MCP TypeScript client (v2) against the
 * real Worker in workerd: the 2026-07-28 (stateless, `server/discover`) and
 * the 2025 (`initialize`) handshakes, tools on their happy and error paths,
 * another tenant's ids, API keys, and a roll posted through MCP that reaches
 * the sockets of a live table.
 */
import { exports } from 'cloudflare:workers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, nextIp, type TestUser } from '../support/api';
import { liveTable, type LiveTable } from '../support/live-table';
import { fixture, uploadPdf, waitForIngestion } from '../support/rulebooks';
import { connect } from '../support/socket';

const MCP_URL = 'http://lorekeeper.test/mcp';

async function apiKey(user: TestUser): Promise<string> {
  const res = await call('POST', '/api/me/api-keys', { token: user.token, body: { name: 'mcp test' } });
  expect(res.status).toBe(201);
  return res.body.key;
}

async function mcpClient(key: string, mode: 'modern' | 'legacy' = 'modern'): Promise<Client> {
  const ip = nextIp();
  const client = new Client({ name: 'lorekeeper-test', version: '1.0.0' }, mode === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {});
  const transport = new StreamableHTTPClientTransport(new URL(MCP_URL), {
    requestInit: { headers: { authorization: `Bearer ${key}`, 'cf-connecting-ip': ip } },
    fetch: (url, init) => exports.default.fetch(new Request(url, init)),
  });
  await client.connect(transport);
  return client;
}

/** The structured result of a tool call, failing the test on a tool error. */
async function callOk(client: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent;
}

async function callError(client: Client, name: string, args: Record<string, unknown>): Promise<string> {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError).toBe(true);
  return (result.content as { type: string; text: string }[]).map((c) => c.text).join('\n');
}

let t: LiveTable;
let gm: Client;
let player: Client;
let outsider: Client;

beforeAll(async () => {
  t = await liveTable();
  [gm, player, outsider] = await Promise.all([mcpClient(await apiKey(t.gm)), mcpClient(await apiKey(t.player)), mcpClient(await apiKey(t.otherGm))]);
}, 60_000);

afterAll(async () => {
  await Promise.all([gm, player, outsider].map((c) => c?.close()));
});

describe('MCP: connecting', () => {
  it('serves the 2026-07-28 revision and lists every tool with input and output schemas', async () => {
    const { tools } = await gm.listTools();
    const names = tools.map((tool) => tool.name);
    for (const name of ['search_rules', 'answer_rules_question', 'list_sources', 'add_source', 'check_content', 'roll_dice', 'list_campaigns', 'create_campaign', 'get_campaign', 'search_campaign',
      'get_campaign_versions', 'rollback', 'get_character', 'update_character', 'list_npcs', 'create_npc', 'add_note', 'list_sessions', 'get_session_log',
      'post_to_session', 'start_session', 'start_combat', 'add_combatant', 'next_turn', 'server_info', 'generate_npc', 'generate_location', 'generate_encounter',
      'search_recaps', 'judge_homebrew']) expect(names).toContain(name);
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(20);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
    }
  });

  it('keeps older (2025) clients working through the initialize handshake', async () => {
    const legacy = await mcpClient(await apiKey(t.player), 'legacy');
    const info = await callOk(legacy, 'server_info');
    expect(info).toMatchObject({ server: 'lorekeeper', userId: t.player.id });
    await legacy.close();
  });

  it('serves the v1 SDK client (protocol 2025-06-18 and later) too', async () => {
    const v1 = new ClientV1({ name: 'lorekeeper-test-v1', version: '1.0.0' });
    await v1.connect(new TransportV1(new URL(MCP_URL), {
      requestInit: { headers: { authorization: `Bearer ${await apiKey(t.player)}`, 'cf-connecting-ip': nextIp() } },
      fetch: (url, init) => exports.default.fetch(new Request(url, init)),
    }));
    const { tools } = await v1.listTools();
    expect(tools.map((tool) => tool.name)).toContain('roll_dice');
    const roll = await v1.callTool({ name: 'roll_dice', arguments: { expression: '2d20kh1+5' } });
    expect((roll.structuredContent as { total: number }).total).toBeGreaterThanOrEqual(6);
    await v1.close();
  });

  it('refuses a missing or revoked key, and a browser page from a foreign origin', async () => {
    const anonymous = await exports.default.fetch(new Request(MCP_URL, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'cf-connecting-ip': nextIp() }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) }));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');

    const key = await apiKey(t.spectator);
    const keys = await call('GET', '/api/me/api-keys', { token: t.spectator.token });
    await call('DELETE', `/api/me/api-keys/${keys.body.items[0].id}`, { token: t.spectator.token });
    await expect(mcpClient(key)).rejects.toThrow();

    const foreign = await exports.default.fetch(new Request(MCP_URL, { method: 'POST', headers: { authorization: `Bearer ${await apiKey(t.gm)}`, origin: 'https://evil.example', 'content-type': 'application/json', 'cf-connecting-ip': nextIp() }, body: '{}' }));
    expect(foreign.status).toBe(403);
    // DNS rebinding: a page that claims a local origin, on a server reached under another name.
    const rebound = await exports.default.fetch(new Request(MCP_URL, { method: 'POST', headers: { authorization: `Bearer ${await apiKey(t.gm)}`, origin: 'http://localhost:5173', 'content-type': 'application/json', 'cf-connecting-ip': nextIp() }, body: '{}' }));
    expect(rebound.status).toBe(403);
  });
});

describe('MCP: tools', () => {
  it('rolls dice with the server, and explains bad notation', async () => {
    const roll = await callOk(gm, 'roll_dice', { expression: '2d20kh1+5' });
    expect(roll.notation).toBe('2d20kh1+5');
    expect(roll.total).toBeGreaterThanOrEqual(6);
    expect(roll.total).toBeLessThanOrEqual(25);
    expect(roll.groups[0].dice).toHaveLength(2);
    expect(await callError(gm, 'roll_dice', { expression: '1d20 5' })).toMatch(/Bad Request \(400\).*expression/);
  });

  it('lists, creates and reads campaigns; another tenant\'s campaign is not found', async () => {
    const mine = await callOk(gm, 'list_campaigns', {});
    expect(mine.items.map((c: { id: string }) => c.id)).toContain(t.campaignId);
    const created = await callOk(gm, 'create_campaign', { name: 'Tomb of Annihilation' });
    expect(created).toMatchObject({ name: 'Tomb of Annihilation', myRole: 'gm' });
    expect((await callOk(gm, 'get_campaign', { campaignId: t.campaignId })).id).toBe(t.campaignId);
    expect(await callError(outsider, 'get_campaign', { campaignId: t.campaignId })).toMatch(/Not Found \(404\)/);
  });

  it('reads and updates a character, names a wrong field, and rolls the change back', async () => {
    const before = await callOk(player, 'get_character', { campaignId: t.campaignId, characterId: t.tamsinId });
    expect(before.name).toBe('Tamsin');
    const after = await callOk(player, 'update_character', { campaignId: t.campaignId, characterId: t.tamsinId, name: 'Tamsin the Bold', version: before.version });
    expect(after).toMatchObject({ name: 'Tamsin the Bold', version: before.version + 1 });
    // A stale version is a conflict, not an overwrite.
    expect(await callError(player, 'update_character', { campaignId: t.campaignId, characterId: t.tamsinId, name: 'Stale', version: before.version })).toMatch(/Conflict \(409\)/);
    // The SDK validates arguments against the input schema and names the field.
    const invalid = await player.callTool({ name: 'update_character', arguments: { campaignId: t.campaignId, characterId: 'not-a-uuid' } });
    expect(invalid.isError).toBe(true);
    expect(JSON.stringify(invalid.content)).toContain('characterId');
    // Another player may not edit it; an outsider does not see it.
    expect(await callError(outsider, 'get_character', { campaignId: t.campaignId, characterId: t.tamsinId })).toMatch(/Not Found \(404\)/);
    const versions = await callOk(player, 'get_campaign_versions', { campaignId: t.campaignId, entityType: 'character', entityId: t.tamsinId });
    const first = versions.items.find((r: { version: number }) => r.version === before.version);
    await callOk(player, 'rollback', { campaignId: t.campaignId, revisionId: first.id });
    expect((await callOk(player, 'get_character', { campaignId: t.campaignId, characterId: t.tamsinId })).name).toBe('Tamsin');
  });

  it('creates NPCs and notes (GM) and finds them; players do not see GM-only NPCs', async () => {
    await callOk(gm, 'create_npc', { campaignId: t.campaignId, name: 'Belak the Outcast', visibility: 'gm', gmOnly: { motivation: 'Feed the Gulthias tree' } });
    await callOk(gm, 'create_npc', { campaignId: t.campaignId, name: 'Meepo', visibility: 'party', data: { role: 'kobold keeper of dragons' } });
    await callOk(gm, 'add_note', { campaignId: t.campaignId, title: 'The white dragon', body: 'Calcryx escaped from the kobolds.' });
    expect((await callOk(gm, 'list_npcs', { campaignId: t.campaignId })).items).toHaveLength(2);
    const seen = await callOk(player, 'search_campaign', { campaignId: t.campaignId, query: 'e' });
    expect(seen.npcs.map((n: { name: string }) => n.name)).toEqual(['Meepo']);
    expect((await callOk(player, 'search_campaign', { campaignId: t.campaignId, query: 'calcryx' })).notes).toHaveLength(1);
    expect(await callError(player, 'create_npc', { campaignId: t.campaignId, name: 'Sneaky' })).toMatch(/Forbidden \(403\)/);
  });

  it('generates an NPC and an encounter to preview, keeps the NPC with create_npc, and searches recaps', async () => {
    const npc = await callOk(gm, 'generate_npc', { campaignId: t.campaignId, role: 'ferryman' });
    expect(npc).toMatchObject({ kind: 'npc', label: 'Template (no AI model configured)', data: { role: 'ferryman' } });
    const kept = await callOk(gm, 'create_npc', { campaignId: t.campaignId, name: npc.name, visibility: npc.visibility, data: npc.data, gmOnly: npc.gmOnly });
    expect(kept).toMatchObject({ name: npc.name, version: 1 });
    const encounter = await callOk(gm, 'generate_encounter', { campaignId: t.campaignId, difficulty: 'easy', partyLevels: [2, 2, 2], monsters: [{ name: 'Kobold', cr: '1/8' }, { name: 'Giant Rat', cr: '1/8' }] });
    expect(encounter).toMatchObject({ kind: 'encounter', rating: 'easy', note: { visibility: 'gm' } });
    expect(await callError(player, 'generate_encounter', { campaignId: t.campaignId, partyLevels: [2], monsters: [{ name: 'Kobold', cr: '1/8' }] })).toMatch(/Forbidden \(403\)/);
    expect(await callError(gm, 'generate_encounter', { campaignId: t.campaignId, monsters: [{ name: 'Blob', cr: '3/4' }] })).toMatch(/cr/);
    expect(await callOk(player, 'search_recaps', { campaignId: t.campaignId, query: 'dragon' })).toEqual({ items: [], semantic: false });
    expect(await callError(outsider, 'search_recaps', { campaignId: t.campaignId, query: 'dragon' })).toMatch(/Not Found \(404\)/);
    const judged = await callOk(player, 'judge_homebrew', { campaignId: t.campaignId, text: 'A ring that grants +3 to every saving throw.', kind: 'item' });
    expect(judged).toMatchObject({ opinion: null, reason: expect.any(String) });
  });

  it('posts a roll into a live table that a connected WebSocket client sees, and runs combat', async () => {
    const watcher = await connect(t.gm, t.sessionId, 'gm-socket');
    const events = await callOk(player, 'post_to_session', { sessionId: t.sessionId, kind: 'roll', expression: '2d20kh1+5 # Stealth' });
    expect(events.events[0].type).toBe('roll');
    const seen = await watcher.waitFor((e) => e.type === 'roll' && (e as any).actor?.userId === t.player.id);
    expect((seen as any).notation).toBe('2d20kh1+5');
    expect((seen as any).label).toBe('Stealth');
    await callOk(player, 'post_to_session', { sessionId: t.sessionId, kind: 'chat', text: 'I hide behind the pillar', mode: 'ic' });
    await watcher.waitFor((e) => e.type === 'chat' && (e as any).text === 'I hide behind the pillar');

    await callOk(gm, 'add_combatant', { sessionId: t.sessionId, kind: 'monster', name: 'Goblin', bonus: 2, hpMax: 7, count: 2 });
    await callOk(player, 'add_combatant', { sessionId: t.sessionId, kind: 'character', characterId: t.tamsinId, initiative: 15 });
    await callOk(gm, 'start_combat', { sessionId: t.sessionId });
    const next = await callOk(gm, 'next_turn', { sessionId: t.sessionId });
    expect(next.events.length).toBeGreaterThan(0);
    expect(await callError(player, 'start_combat', { sessionId: t.sessionId })).toMatch(/\(403\)|\(409\)/);

    const log = await callOk(gm, 'get_session_log', { sessionId: t.sessionId });
    expect(log.items.some((e: { type: string }) => e.type === 'roll')).toBe(true);
    expect((await callOk(gm, 'list_sessions', { campaignId: t.campaignId })).items[0].status).toBe('live');
    expect(await callError(outsider, 'post_to_session', { sessionId: t.sessionId, kind: 'chat', text: 'hello' })).toMatch(/Not Found \(404\)/);
    expect(await callError(player, 'post_to_session', { sessionId: t.sessionId, kind: 'chat' })).toMatch(/\(400\): The table action is incomplete or invalid — text: /);
    const later = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Next week' } });
    expect(await callError(player, 'post_to_session', { sessionId: later.body.id, kind: 'chat', text: 'anyone here?' })).toMatch(/Conflict \(409\): The session is not live/);
    expect(await callError(player, 'start_session', { sessionId: later.body.id })).toMatch(/Forbidden \(403\)/);
    expect((await callOk(gm, 'start_session', { sessionId: later.body.id })).status).toBe('live');
    expect((await callOk(player, 'post_to_session', { sessionId: later.body.id, kind: 'chat', text: 'anyone here?' })).events[0].type).toBe('chat');
    watcher.close();
  });

  it('explains how to add a rulebook, and searches (nothing yet)', async () => {
    const how = await callOk(gm, 'add_source', { campaignId: t.campaignId, title: 'SRD' });
    expect(how.uploadUrl).toBe(`http://lorekeeper.test/api/campaigns/${t.campaignId}/rulebooks?title=SRD`);
    expect((await callOk(gm, 'list_sources', { campaignId: t.campaignId })).items).toEqual([]);
    expect((await callOk(player, 'search_rules', { campaignId: t.campaignId, query: 'grappling' })).hits).toEqual([]);
    expect(await callError(outsider, 'search_rules', { campaignId: t.campaignId, query: 'grappling' })).toMatch(/Not Found \(404\)/);
  });

  it('answers an unknown tool with an error, and keeps serving', async () => {
    await expect(gm.callTool({ name: 'summon_demon', arguments: {} })).rejects.toThrow();
    expect((await callOk(gm, 'server_info')).userId).toBe(t.gm.id);
  });
});

describe('MCP: rulebooks and resources', () => {
  beforeAll(async () => {
    const uploaded = await uploadPdf(t.gm, t.campaignId, fixture('srd-small.pdf'), '?title=SRD%20excerpt');
    expect(uploaded.status).toBe(202);
    await waitForIngestion(t.gm, t.campaignId, uploaded.body.id);
  }, 120_000);

  it('searches the rules with page links, and reads a passage and a note as resources', async () => {
    const found = await callOk(player, 'search_rules', { campaignId: t.campaignId, query: 'how does turn undead work', limit: 3 });
    const top = found.hits[0];
    expect(top).toMatchObject({ rulebookTitle: 'SRD excerpt', page: 12 });
    expect(top.headingPath.join(' › ')).toMatch(/Turn Undead/);
    expect(top.url).toMatch(/^http:\/\/lorekeeper\.test\/api\/files\/rulebooks\/.+#page=12$/);
    const answer = await callOk(player, 'answer_rules_question', { campaignId: t.campaignId, question: 'how does turn undead work' });
    expect(answer.answer).toContain('[SRD excerpt p.12]');
    expect(answer.citations[0].url).toMatch(/^http:\/\/lorekeeper\.test\/api\/files\/rulebooks\/.+#page=12$/);
    const passage = await player.readResource({ uri: top.resource });
    const text = (passage.contents[0] as { text: string }).text;
    expect(text).toContain('Turn Undead');
    expect(text).toContain('page 12');

    const note = await callOk(gm, 'add_note', { campaignId: t.campaignId, title: 'Loot', body: 'A +1 shield', visibility: 'gm' });
    const read = await gm.readResource({ uri: `lorekeeper://campaigns/${t.campaignId}/notes/${note.id}` });
    expect((read.contents[0] as { text: string }).text).toBe('# Loot\n\nA +1 shield');
    // The same rules as everywhere: a GM-only note and another campaign's passage are not found.
    await expect(player.readResource({ uri: `lorekeeper://campaigns/${t.campaignId}/notes/${note.id}` })).rejects.toThrow(/not found/i);
    await expect(outsider.readResource({ uri: top.resource })).rejects.toThrow(/not found/i);
    const { resourceTemplates } = await gm.listResourceTemplates();
    expect(resourceTemplates.map((r) => r.uriTemplate)).toEqual(expect.arrayContaining(['lorekeeper://campaigns/{campaignId}/passages/{passageId}', 'lorekeeper://campaigns/{campaignId}/notes/{noteId}']));
  });

  it('offers prompts for common GM tasks', async () => {
    const { prompts } = await gm.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining(['prepare_session', 'summarise_last_session', 'build_encounter']));
    const prompt = await gm.getPrompt({ name: 'build_encounter', arguments: { campaignId: t.campaignId, difficulty: 'hard' } });
    expect(JSON.stringify(prompt.messages)).toContain('hard encounter');
    expect(JSON.stringify(prompt.messages)).toContain('generate_encounter');
  });
});
