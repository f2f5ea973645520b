import { describe, expect, it } from 'vitest';
import { attackRoll, damageRoll } from '../../src/game/attack';
import type { Rng } from '../../src/game/dice';
import { applyDamage, applyHealing, grantTemporary, healthBand } from '../../src/game/hit-points';
import {
  addCombatant, addCondition, advanceTurn, changeHitPoints, CombatError, delayTurn, emptyEncounter, endEncounter, removeCombatant,
  removeCondition, startEncounter, turnOrder, undelay, useResource, type Encounter, type NewCombatant,
} from '../../src/game/initiative';

const scripted = (...faces: number[]): Rng => {
  let i = 0;
  return { die: () => faces[Math.min(i++, faces.length - 1)]! };
};

const c = (id: string, initiative: number, extra: Partial<NewCombatant> = {}): NewCombatant => ({
  id, name: id, kind: 'monster', ownerUserId: null, characterId: null, initiative, initiativeBonus: 0, tiebreak: 0.5, hp: null, armorClass: null, ...extra,
});

function fight(): Encounter {
  let e = emptyEncounter();
  e = addCombatant(e, c('goblin', 12, { initiativeBonus: 2, hp: { current: 7, max: 7, temp: 0 } }));
  e = addCombatant(e, c('tamsin', 15, { kind: 'character', ownerUserId: 'u1' }));
  e = addCombatant(e, c('brakka', 12, { kind: 'character', initiativeBonus: 1, ownerUserId: 'u2' }));
  e = addCombatant(e, c('wolf', 12, { initiativeBonus: 2, tiebreak: 0.9 }));
  return startEncounter(e);
}

describe('initiative', () => {
  it('orders by initiative, then bonus, then tiebreak', () => {
    expect(turnOrder(fight().combatants).map((x) => x.id)).toEqual(['tamsin', 'wolf', 'goblin', 'brakka']);
  });

  it('advances turns and rounds', () => {
    let e = fight();
    expect([e.round, e.currentId]).toEqual([1, 'tamsin']);
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const change = advanceTurn(e);
      e = change.encounter;
      seen.push(`${e.round}:${e.currentId}${change.newRound ? '*' : ''}`);
    }
    expect(seen).toEqual(['1:wolf', '1:goblin', '1:brakka', '2:tamsin*', '2:wolf']);
  });

  it('ticks round-based conditions at the end of the bearer\'s turn; save and until-removed ones stay', () => {
    let e = fight();
    e = addCondition(e, 'tamsin', 'blessed', { kind: 'rounds', rounds: 1 });
    e = addCondition(e, 'tamsin', 'frightened', { kind: 'save', dc: 13, ability: 'wis' });
    e = addCondition(e, 'wolf', 'prone', { kind: 'until_removed' });
    const change = advanceTurn(e);
    expect(change.expired).toEqual([{ combatantId: 'tamsin', conditions: ['blessed'] }]);
    expect(change.encounter.combatants.find((x) => x.id === 'tamsin')!.conditions.map((x) => x.name)).toEqual(['frightened']);
    e = removeCondition(change.encounter, 'wolf', 'prone');
    expect(() => removeCondition(e, 'wolf', 'prone')).toThrow(CombatError);
  });

  it('tracks actions used, reset at the start of each turn', () => {
    let e = fight();
    e = useResource(e, 'tamsin', 'action');
    e = useResource(e, 'tamsin', 'movement', 15);
    expect(() => useResource(e, 'tamsin', 'action')).toThrow(/already used/);
    e = useResource(e, 'tamsin', 'bonus');
    for (let i = 0; i < 4; i++) e = advanceTurn(e).encounter;
    expect(e.currentId).toBe('tamsin');
    expect(e.combatants.find((x) => x.id === 'tamsin')!.used).toEqual({ action: false, bonus: false, reaction: false, movement: 0 });
  });

  it('lets the current combatant delay and come back before the current turn', () => {
    let e = delayTurn(fight(), 'tamsin');
    expect(e.currentId).toBe('wolf');
    expect(turnOrder(e.combatants).map((x) => x.id)).toEqual(['wolf', 'goblin', 'brakka']);
    e = advanceTurn(e).encounter; // goblin's turn
    e = undelay(e, 'tamsin');
    expect(e.currentId).toBe('tamsin');
    expect(turnOrder(e.combatants).map((x) => x.id)).toEqual(['wolf', 'tamsin', 'goblin', 'brakka']);
    e = advanceTurn(e).encounter;
    expect(e.currentId).toBe('goblin');
    expect(() => delayTurn(e, 'wolf')).toThrow(/whose turn/);
  });

  it('removes combatants, moving the turn on when it was theirs, and ends combat', () => {
    let e = fight();
    e = removeCombatant(e, 'tamsin');
    expect(e.currentId).toBe('wolf');
    expect(e.combatants).toHaveLength(3);
    expect(endEncounter(e)).toEqual(emptyEncounter());
    expect(() => endEncounter(emptyEncounter())).toThrow(CombatError);
    expect(() => startEncounter(emptyEncounter())).toThrow(/Add combatants/);
  });

  it('applies damage and healing to tracked hit points', () => {
    let e = changeHitPoints(fight(), 'goblin', { damage: 4 });
    expect(e.combatants.find((x) => x.id === 'goblin')!.hp).toEqual({ current: 3, max: 7, temp: 0 });
    e = changeHitPoints(e, 'goblin', { healing: 10 });
    expect(e.combatants.find((x) => x.id === 'goblin')!.hp!.current).toBe(7);
    expect(() => changeHitPoints(e, 'wolf', { damage: 1 })).toThrow(/no hit points/);
  });
});

describe('hit points', () => {
  it('temp HP absorb damage first, do not stack, healing caps at max', () => {
    const hp = { current: 10, max: 12, temp: 3 };
    expect(applyDamage(hp, 5)).toEqual({ current: 8, max: 12, temp: 0 });
    expect(applyDamage(hp, 2)).toEqual({ current: 10, max: 12, temp: 1 });
    expect(applyHealing({ current: -3, max: 12, temp: 0 }, 5)).toEqual({ current: 5, max: 12, temp: 0 });
    expect(applyHealing(hp, 50).current).toBe(12);
    expect(grantTemporary(hp, 2).temp).toBe(3);
    expect(grantTemporary(hp, 8).temp).toBe(8);
    expect(applyDamage(hp, -5)).toEqual(hp);
  });

  it('describes health in bands', () => {
    const band = (current: number, kind: 'character' | 'monster' = 'monster') => healthBand({ current, max: 20, temp: 0 }, kind);
    expect([band(20), band(15), band(10), band(1), band(0)]).toEqual(['healthy', 'injured', 'bloodied', 'bloodied', 'dead']);
    expect([band(0, 'character'), band(-19, 'character'), band(-20, 'character')]).toEqual(['unconscious', 'unconscious', 'dead']);
  });
});

describe('attacks', () => {
  it('natural 20 always hits and crits; natural 1 always misses', () => {
    expect(attackRoll({ bonus: 0, targetAc: 30 }, scripted(20))).toMatchObject({ hit: true, critical: true });
    expect(attackRoll({ bonus: 20, targetAc: 5 }, scripted(1))).toMatchObject({ hit: false, fumble: true, critical: false });
    expect(attackRoll({ bonus: 5, targetAc: 15 }, scripted(10))).toMatchObject({ hit: true, total: 15 });
    expect(attackRoll({ bonus: 5, targetAc: 15 }, scripted(9))).toMatchObject({ hit: false, total: 14 });
    expect(attackRoll({ bonus: 0, targetAc: 30, criticalOn: 19 }, scripted(19)).critical).toBe(true);
  });

  it('advantage keeps the higher d20, disadvantage the lower', () => {
    expect(attackRoll({ bonus: 0, targetAc: 10, mode: 'advantage' }, scripted(3, 17))).toMatchObject({ d20s: [3, 17], natural: 17 });
    expect(attackRoll({ bonus: 0, targetAc: 10, mode: 'disadvantage' }, scripted(3, 17))).toMatchObject({ natural: 3, hit: false });
  });

  it('a critical hit doubles the dice but not the modifier', () => {
    expect(damageRoll('1d8+3', scripted(5, 6), true).total).toBe(14);
    expect(damageRoll('1d8+3', scripted(5), false).total).toBe(8);
  });
});
