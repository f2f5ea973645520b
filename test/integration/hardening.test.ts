/**
 * Regression tests for what the outside hostile-input probe found (issue 7):
 * each failed before its fix.
 */
import { env, exports } from 'cloudflare:workers';
import { listDurableObjectIds } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/lib/json-limits';
import { MAX_QUERY_WORDS } from '../../src/rules/query';
import { call, isProblem, registerUser, setUpTable } from '../support/api';
import { connect, upgrade } from '../support/socket';

const nested = (depth: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
};
/** Built as text: JSON.stringify itself recurses. */
const nestedText = (depth: number) => '{"x":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('deeply nested JSON', () => {
  it('answers a body nested thousands of levels deep with a 400 that names the limit, and writes nothing', async () => {
    const t = await setUpTable();
    const pc = await call('POST', `/api/campaigns/${t.campaignId}/characters`, { token: t.gm.token, body: { name: 'PC' } });
    const npc = await call('POST', `/api/campaigns/${t.campaignId}/npcs`, { token: t.gm.token, body: { name: 'NPC' } });
    const targets: [string, (inner: string) => string][] = [
      [`/api/campaigns/${t.campaignId}/characters/${pc.body.id}`, (inner) => `{"sheet":{"notes":${inner}}}`],
      [`/api/campaigns/${t.campaignId}/npcs/${npc.body.id}`, (inner) => `{"data":${inner}}`],
      [`/api/campaigns/${t.campaignId}/npcs/${npc.body.id}`, (inner) => `{"gmOnly":${inner}}`],
    ];
    for (const [path, body] of targets) {
      const res = await call('PATCH', path, { token: t.gm.token, rawBody: body(nestedText(7000)), headers: { 'content-type': 'application/json' } });
      expect(isProblem(res, 400)).toBe(true);
      expect(res.body.detail).toContain(`at most ${MAX_JSON_DEPTH}`);
      expect(res.body.errors[0]).toMatchObject({ path: 'body', code: 'too_deep' });
    }
    const limit = await call('PATCH', `/api/campaigns/${t.campaignId}/npcs/${npc.body.id}`, { token: t.gm.token, body: { data: nested(MAX_JSON_DEPTH) } });
    expect(limit.body.errors?.[0]?.code).toBe('too_deep');
    const within = await call('PATCH', `/api/campaigns/${t.campaignId}/npcs/${npc.body.id}`, { token: t.gm.token, body: { data: { traits: nested(MAX_JSON_DEPTH - 3) } } });
    expect(within.body.errors?.[0]?.code).not.toBe('too_deep');
    expect(within.status).toBeLessThan(500);
    const after = await call('GET', `/api/campaigns/${t.campaignId}/characters/${pc.body.id}`, { token: t.gm.token });
    expect(after.body.version).toBe(1);
  });

  it('brackets inside strings do not count as nesting', async () => {
    const t = await setUpTable();
    const res = await call('POST', `/api/campaigns/${t.campaignId}/notes`, { token: t.gm.token, body: { title: 'Brackets', body: '['.repeat(5000) } });
    expect(res.status).toBe(201);
  });

  it('answers a deep WebSocket frame with an error event, and the room stays up', async () => {
    const t = await setUpTable();
    const session = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Deep' } });
    await call('POST', `/api/sessions/${session.body.id}/start`, { token: t.gm.token });
    const gm = await connect(t.gm, session.body.id, 'gm');
    gm.send('{"type":"chat","text":"x","extra":' + '['.repeat(5000) + ']'.repeat(5000) + '}');
    const error = await gm.waitFor((e) => e.type === 'error');
    expect(error).toMatchObject({ code: 'invalid_message' });
    expect(error.message).toContain(String(MAX_JSON_DEPTH));
    expect((await gm.request({ type: 'chat', text: 'still here' })).type).toBe('ack');
    gm.close();
  });
});

describe('variable-length lists stay under D1\'s 100 bound parameters', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`).join(' ');

  it('searches with the most search words allowed, and refuses more with a 400 naming the limit', async () => {
    const t = await setUpTable();
    const at = await call('GET', `/api/campaigns/${t.campaignId}/rules/search?q=${encodeURIComponent(words(MAX_QUERY_WORDS))}`, { token: t.player.token });
    expect(at.status).toBe(200);
    const past = await call('GET', `/api/campaigns/${t.campaignId}/rules/search?q=${encodeURIComponent(words(MAX_QUERY_WORDS + 1))}`, { token: t.player.token });
    expect(isProblem(past, 400)).toBe(true);
    expect(past.body.errors[0]).toMatchObject({ path: 'query.q' });
    expect(past.body.errors[0].message).toContain(String(MAX_QUERY_WORDS));
    // Stop words and repeats do not count: a long, wordy question is fine.
    const wordy = `${'how does the '.repeat(30)}${'grappling '.repeat(40)}work`;
    expect((await call('GET', `/api/campaigns/${t.campaignId}/rules/search?q=${encodeURIComponent(wordy)}`, { token: t.player.token })).status).toBe(200);
  });

  it('filters session history by any number of event types', async () => {
    const t = await setUpTable();
    const session = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Types' } });
    await call('POST', `/api/sessions/${session.body.id}/start`, { token: t.gm.token });
    await call('POST', `/api/sessions/${session.body.id}/messages`, { token: t.player.token, body: { type: 'chat', text: 'hi' } });
    // 97 and 99 items, inside the 200-character limit.
    for (const list of ['chat,' + 'a,'.repeat(95) + 'roll', 'chat,' + 'a.,'.repeat(32) + 'b,'.repeat(32) + 'c.d,'.repeat(1) + 'roll']) {
      expect(list.length).toBeLessThanOrEqual(200);
      const res = await call('GET', `/api/sessions/${session.body.id}/messages?types=${list}`, { token: t.player.token });
      expect(res.status).toBe(200);
      expect(res.body.items.map((e: { type: string }) => e.type)).toContain('chat');
    }
  });
});

describe('body limit', () => {
  it('applies to every media type but the PDF upload route\'s exact one', async () => {
    const t = await setUpTable();
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    for (const type of ['application/pdf+json', 'application/pdf', 'Application/PDF; x=1', 'application/pdfx', 'application/json']) {
      const res = await call('POST', '/api/campaigns', { token: t.gm.token, rawBody: big, headers: { 'content-type': type } });
      expect(isProblem(res, 413), type).toBe(true);
    }
    const before = await call('GET', '/api/campaigns', { token: t.gm.token });
    const small = await call('POST', '/api/campaigns', { token: t.gm.token, rawBody: '{"name":"Via pdf"}', headers: { 'content-type': 'application/pdf' } });
    expect(small.status).toBeGreaterThanOrEqual(400);
    expect(small.status).toBeLessThan(500);
    const after = await call('GET', '/api/campaigns', { token: t.gm.token });
    expect(after.body.items.length).toBe(before.body.items.length);
  });
});

describe('content check', () => {
  it('refuses texts over 50,000 characters and rate-limits callers', async () => {
    const t = await setUpTable();
    const tooLong = await call('POST', `/api/campaigns/${t.campaignId}/rules/check`, { token: t.spectator.token, body: { text: 'a'.repeat(50_001) } });
    expect(isProblem(tooLong, 400)).toBe(true);
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await call('POST', `/api/campaigns/${t.campaignId}/rules/check`, { token: t.spectator.token, body: { text: `Fireball ${i}` } })).status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20);
    expect(statuses).toContain(429);
  });
});

describe('WebSocket upgrades', () => {
  it('creates no Durable Object for an unknown session, a junk ticket or a session that is not live', async () => {
    const t = await setUpTable();
    const scheduled = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Later' } });
    const before = (await listDurableObjectIds(env.GAME_SESSION)).length;
    expect((await upgrade(`/api/sessions/${crypto.randomUUID()}/ws?ticket=junk`)).status).toBe(401);
    expect((await upgrade(`/api/sessions/${crypto.randomUUID()}/ws?ticket=wst_${'a'.repeat(43)}`)).status).toBe(404);
    expect((await upgrade(`/api/sessions/${scheduled.body.id}/ws?ticket=wst_${'a'.repeat(43)}`)).status).toBe(404);
    expect((await listDurableObjectIds(env.GAME_SESSION)).length).toBe(before);
  });

  it('rate-limits upgrades per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) statuses.push((await upgrade(`/api/sessions/${crypto.randomUUID()}/ws?ticket=junk`, { 'cf-connecting-ip': '198.51.100.77' })).status);
    expect(statuses.slice(0, 60).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(60)).toContain(429);
    // Another address is unaffected.
    expect((await upgrade(`/api/sessions/${crypto.randomUUID()}/ws?ticket=junk`, { 'cf-connecting-ip': '198.51.100.78' })).status).toBe(401);
  });

  it('refusals carry the security headers and a request id', async () => {
    const t = await setUpTable();
    const session = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Headers' } });
    await call('POST', `/api/sessions/${session.body.id}/start`, { token: t.gm.token });
    const used = await call('POST', `/api/sessions/${session.body.id}/tickets`, { token: t.gm.token });
    (await upgrade(used.body.url)).webSocket?.accept();
    const refusals = [
      await upgrade('/api/sessions/not-a-uuid/ws'), // 404
      await exports.default.fetch(new Request(`http://lorekeeper.test/api/sessions/${session.body.id}/ws`)), // 426
      await upgrade(`/api/sessions/${session.body.id}/ws?ticket=junk`), // 401 before the object
      await upgrade(used.body.url), // 401 from the object (used ticket)
    ];
    expect(refusals.map((r) => r.status)).toEqual([404, 426, 401, 401]);
    for (const res of refusals) {
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      const body = await res.json<{ requestId: string }>();
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.requestId).toBe(res.headers.get('x-request-id'));
    }
  });
});

describe('client addresses, sign-in throttling and request ids', () => {
  it('ignores X-Real-IP: the per-IP bucket follows the platform\'s address only', async () => {
    const ip = '198.51.100.9';
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      statuses.push((await call('POST', '/api/auth/login', { ip, headers: { 'x-real-ip': `10.0.0.${i}` }, body: { email: `nobody-${i}@example.com`, password: 'wrong password' } })).status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it('throttles failed sign-ins per account, but never locks the owner out of an address they signed in from', async () => {
    const victim = await registerUser('victim');
    const home = '198.51.100.20';
    const login = (ip: string, password: string) => call('POST', '/api/auth/login', { ip, body: { email: victim.email, password } });
    expect((await login(home, victim.password)).status).toBe(200);
    // One address: five failures, then refused even with the right password (checked before the password).
    const attacker = '198.51.100.21';
    for (let i = 0; i < 5; i++) expect((await login(attacker, 'guess')).status).toBe(401);
    const throttled = await login(attacker, victim.password);
    expect(isProblem(throttled, 429)).toBe(true);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    // Many addresses: the account-wide bucket (30 an hour) runs out …
    for (let i = 0; i < 25; i++) expect((await login(`198.51.101.${i + 1}`, 'guess')).status).toBe(401);
    expect((await login('198.51.102.1', victim.password)).status).toBe(429);
    // … but the owner's known address still signs in.
    expect((await login(home, victim.password)).status).toBe(200);
  });

  it('adopts a well-formed client request id and replaces anything else', async () => {
    const good = await call('GET', '/api/nope', { headers: { 'x-request-id': 'trace-123.abc' } });
    expect(good.headers.get('x-request-id')).toBe('trace-123.abc');
    for (const bad of ['short', 'has spaces in it', 'a'.repeat(65), '<script>alert(1)</script>', '-leading-dash']) {
      const res = await call('GET', '/api/nope', { headers: { 'x-request-id': bad } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
    }
  });
});
