import { describe, expect, it } from 'vitest';
import { seededRng } from '../../src/game/dice';
import { handle, RuleError, type EngineContext } from '../../src/session/engine';
import { presenceKey, presenceOf, statusFor } from '../../src/session/presence';
import { ClientMessageSchema, isTableAction, type Actor, type SessionEvent } from '../../src/session/protocol';
import { emptyRoomState } from '../../src/session/room-state';
import { canSee, viewFor } from '../../src/session/visibility';

const gm: Actor = { userId: 'gm', displayName: 'GM', role: 'gm' };
const alice: Actor = { userId: 'alice', displayName: 'Alice', role: 'player' };
const bob: Actor = { userId: 'bob', displayName: 'Bob', role: 'player' };
const ctx = (extra: Partial<EngineContext> = {}): EngineContext => {
  let n = 0;
  return { rng: seededRng(1), newId: () => `id${n++}`, now: () => '2026-11-23T00:00:00.000Z', ...extra };
};
const msg = (m: unknown) => {
  const parsed = ClientMessageSchema.parse(m);
  if (!isTableAction(parsed)) throw new Error('not handled by the engine');
  return parsed;
};
const seq = (events: ReturnType<typeof handle>['events']) => events.map((e, i) => ({ ...e, v: 1 as const, seq: i + 1, at: 'now', eventId: `e${i}` })) as SessionEvent[];

describe('session engine', () => {
  it('keeps ready checks and notes in the room state', () => {
    let state = emptyRoomState();
    state = handle(state, gm, msg({ type: 'ready.start', prompt: 'Enter the citadel?' }), ctx()).state;
    state = handle(state, alice, msg({ type: 'ready.answer', ready: true }), ctx()).state;
    expect(state.ready).toMatchObject({ prompt: 'Enter the citadel?', answers: { alice: true } });
    const noted = handle(state, bob, msg({ type: 'note.add', category: 'quest', text: 'Find Talgen' }), ctx());
    expect(noted.state.notes).toEqual([{ id: 'id0', category: 'quest', text: 'Find Talgen', authorId: 'bob', at: '2026-11-23T00:00:00.000Z' }]);
    expect(() => handle(emptyRoomState(), alice, msg({ type: 'ready.answer', ready: true }), ctx())).toThrow(RuleError);
  });

  it('adds characters with the bonus from their sheet and refuses duplicates and other players', () => {
    const character = { id: '00000000-0000-4000-8000-000000000030', name: 'Tamsin', ownerUserId: 'alice', initiativeBonus: 3, hp: { max: 17, current: 17, temp: 0 }, armorClass: 12, sheet: null };
    const add = msg({ type: 'initiative.add', kind: 'character', characterId: character.id });
    const first = handle(emptyRoomState(), alice, add, ctx({ character }));
    const tamsin = first.state.encounter.combatants[0]!;
    expect(tamsin).toMatchObject({ name: 'Tamsin', ownerUserId: 'alice', initiativeBonus: 3, hp: { max: 17 } });
    expect(first.events[0]!.detail).toMatchObject({ bonus: 3, initiative: (first.events[0]!.detail as { roll: number }).roll + 3 });
    expect(() => handle(first.state, alice, add, ctx({ character }))).toThrow(/already in the fight/);
    expect(() => handle(emptyRoomState(), bob, add, ctx({ character }))).toThrow(/your own characters/);
    expect(() => handle(emptyRoomState(), alice, add, ctx({ character: null }))).toThrow(/not in this campaign/);
  });

  it('marks hidden rolls for the GM and whispers for their recipients', () => {
    const hidden = handle(emptyRoomState(), alice, msg({ type: 'roll', expression: '1d20', hidden: true }), ctx());
    expect(hidden.events[0]).toMatchObject({ audience: 'gm', hidden: true });
    const whisper = handle(emptyRoomState(), alice, msg({ type: 'whisper', to: '00000000-0000-4000-8000-000000000003', text: 'hi' }), ctx({ member: { userId: 'bob', displayName: 'Bob', role: 'player' } }));
    expect(whisper.events[0]).toMatchObject({ audience: 'private', recipients: ['alice', 'bob'] });
  });
});

describe('visibility', () => {
  it('filters by audience and redacts monster numbers for players', () => {
    let state = emptyRoomState();
    state = handle(state, gm, msg({ type: 'initiative.add', kind: 'monster', name: 'Ogre', initiative: 5, hp: { max: 59, current: 20 }, armorClass: 11 }), ctx()).state;
    const [event] = seq(handle(state, gm, msg({ type: 'initiative.start' }), ctx()).events);
    const forAlice = viewFor(event!, alice)!;
    const ogre = (forAlice.encounter as { combatants: Record<string, unknown>[] }).combatants[0]!;
    expect(ogre).toMatchObject({ hp: null, armorClass: null, health: 'bloodied' });
    const forGm = viewFor(event!, gm)!;
    expect((forGm.encounter as { combatants: Record<string, unknown>[] }).combatants[0]!.hp).toEqual({ max: 59, current: 20, temp: 0 });

    const gmOnly = { audience: 'gm' as const, actor: { userId: 'alice', displayName: 'Alice' } };
    expect([canSee(gmOnly, gm), canSee(gmOnly, alice), canSee(gmOnly, bob)]).toEqual([true, true, false]);
    const privately = { audience: 'private' as const, recipients: ['alice', 'bob'], actor: null };
    expect([canSee(privately, gm), canSee(privately, bob)]).toEqual([false, true]);
  });
});

describe('presence', () => {
  it('is online within 30 s, away within 5 min, offline after', () => {
    expect([statusFor(0, 29_999), statusFor(0, 30_000), statusFor(0, 299_999), statusFor(0, 300_000)]).toEqual(['online', 'away', 'away', 'offline']);
  });

  it('merges a user\'s sockets and uses the freshest', () => {
    const entries = presenceOf([
      { actor: alice, lastSeenMs: 0 },
      { actor: alice, lastSeenMs: 100_000 },
      { actor: gm, lastSeenMs: 0 },
    ], 110_000);
    expect(entries).toEqual([
      { userId: 'alice', displayName: 'Alice', role: 'player', status: 'online', connections: 2 },
      { userId: 'gm', displayName: 'GM', role: 'gm', status: 'away', connections: 1 },
    ]);
    expect(presenceKey(entries)).toBe('alice:online:2|gm:away:1');
  });
});
