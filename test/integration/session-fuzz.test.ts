/**
 * Thousands of random and mutated frames at a live room from one player,
 * while another player keeps chatting. Afterwards the room still answers
 * everyone, the fuzzing socket only ever got events or typed errors, and the
 * event log is intact: contiguous sequence numbers, identical in D1.
 */
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gameSessionStub } from '../../src/session/stub';
import { CLIENT_MESSAGE_TYPES } from '../../src/session/protocol';
import { call, setUpTable } from '../support/api';
import { connect, sleep } from '../support/socket';

const VALID = [
  { type: 'chat', text: 'hello', mode: 'ic' },
  { type: 'roll', expression: '4d6kh3' },
  { type: 'whisper', to: 'gm', text: 'psst' },
  { type: 'note.add', category: 'loot', text: 'a ring' },
  { type: 'initiative.add', kind: 'monster', name: 'Orc', hp: { max: 15 } },
  { type: 'turn.use', resource: 'movement', feet: 30 },
  { type: 'ready.answer', ready: true },
  { type: 'hello', lastSeq: 3 },
  { type: 'typing', typing: true },
];

/** Random values of every JSON kind, some huge, some hostile. */
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 30 }), fc.constantFrom('__proto__', 'constructor', '1d20', 'gm', '\u0000'),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 1e308, 0),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A valid message with one field replaced, removed or added. */
const mutated = fc.tuple(fc.constantFrom(...VALID), fc.constantFrom('text', 'type', 'expression', 'kind', 'hp', 'to', 'resource', 'feet', 'lastSeq', 'extra'), anyJson, fc.boolean())
  .map(([base, key, value, remove]) => {
    const copy: Record<string, unknown> = { ...base };
    if (remove) delete copy[key];
    else copy[key] = value;
    return JSON.stringify(copy);
  });

const frames = fc.oneof(
  mutated,
  anyJson.map((v) => JSON.stringify(v)),
  fc.record({ type: fc.constantFrom(...CLIENT_MESSAGE_TYPES), payload: anyJson }).map((r) => JSON.stringify({ type: r.type, ...(typeof r.payload === 'object' && r.payload ? r.payload : {}) })),
  fc.string({ maxLength: 200 }),
  fc.string({ maxLength: 50 }).map((s) => `{"type":"chat","text":"${s}`),
);

describe('fuzzing a live room', () => {
  it('survives 3000 random and mutated frames from players, GMs and a spectator, and keeps an intact log', async () => {
    const t = await setUpTable();
    const session = await call('POST', `/api/campaigns/${t.campaignId}/sessions`, { token: t.gm.token, body: { title: 'Fuzz' } });
    await call('POST', `/api/sessions/${session.body.id}/start`, { token: t.gm.token });
    const sessionId = session.body.id;
    const bystander = await connect(t.otherPlayer, sessionId, 'bystander');
    // Several sockets, each with its own rate budget; GMs reach the deepest code paths.
    const fuzzers = await Promise.all([
      connect(t.player, sessionId, 'player fuzzer 1'), connect(t.player, sessionId, 'player fuzzer 2'),
      connect(t.gm, sessionId, 'gm fuzzer 1'), connect(t.gm, sessionId, 'gm fuzzer 2'), connect(t.spectator, sessionId, 'spectator fuzzer'),
    ]);

    const samples = fc.sample(frames, { numRuns: 3000, seed: 20261123 });
    const perSocket = samples.length / fuzzers.length;
    for (let burst = 0; burst < perSocket / 40; burst++) {
      fuzzers.forEach((f, n) => {
        for (const frame of samples.slice(n * perSocket + burst * 40, n * perSocket + (burst + 1) * 40)) f.send(frame);
      });
      // 40 frames a burst, about one burst a second: under the 50/s budget, so frames are really parsed.
      await bystander.request({ type: 'chat', text: `still here ${burst}` });
      await sleep(850);
    }
    for (const f of fuzzers.slice(0, 4)) {
      const last = await f.request({ type: 'chat', text: `${f.name} done` });
      expect(last.type).toBe('ack');
      await bystander.waitFor((e) => e.text === `${f.name} done`, 10_000);
    }

    const errors = fuzzers.flatMap((f) => f.ofType('error'));
    const codes = new Set(errors.map((e) => e.code));
    expect(errors.length).toBeGreaterThan(1500);
    expect(codes.has('internal')).toBe(false);
    expect([...codes].every((c) => ['malformed_json', 'unknown_type', 'invalid_message', 'forbidden', 'invalid_roll', 'invalid_action', 'not_found', 'rate_limited', 'frame_too_large'].includes(c))).toBe(true);
    expect(errors.filter((e) => e.code === 'rate_limited').length).toBeLessThan(20);
    for (const f of [...fuzzers, bystander]) expect(f.closed).toBeNull();
    // The bystander saw table events, never someone else's errors, and every one of its own lines.
    expect(bystander.ofType('error')).toHaveLength(0);
    expect(bystander.ofType('chat').filter((e) => String(e.text).startsWith('still here'))).toHaveLength(perSocket / 40);

    const stub = gameSessionStub(env, sessionId);
    const logged = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ seq: number }>('SELECT seq FROM events ORDER BY seq').toArray().map((r) => r.seq));
    expect(logged).toEqual(Array.from({ length: logged.length }, (_, i) => i + 1));
    await stub.flush();
    const inD1 = await env.DB.prepare('SELECT seq FROM session_events WHERE session_id = ? ORDER BY seq').bind(sessionId).all<{ seq: number }>();
    expect(inD1.results.map((r) => r.seq)).toEqual(logged);
    for (const c of [...fuzzers, bystander]) c.close();
  }, 120_000);
});
