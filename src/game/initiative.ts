/**
 * Initiative, rounds and turns as an immutable state machine.
 *
 * Order: higher initiative first; ties go to the higher initiative bonus,
 * then to a tiebreak rolled when the combatant joined. Conditions tick down
 * at the end of their bearer's turn; "until a save" conditions stay until
 * removed by the GM (who rolls or asks for the save). A combatant may delay:
 * it leaves the order and re-enters, just before the current turn, when it
 * chooses to act.
 */
import type { StatBlock } from './checks';
import { applyDamage, applyHealing, grantTemporary, type HitPoints } from './hit-points';

export type ConditionDuration =
  | { kind: 'rounds'; rounds: number }
  | { kind: 'save'; dc: number; ability: 'str' | 'dex' | 'con' | 'int' | 'wis' | 'cha' }
  | { kind: 'until_removed' };

export interface ActiveCondition {
  name: string;
  duration: ConditionDuration;
  /** Rounds left, for `rounds` durations. */
  remaining?: number;
}

export type TurnResource = 'action' | 'bonus' | 'reaction' | 'movement';

export interface Combatant {
  id: string;
  name: string;
  kind: 'character' | 'monster';
  /** The player who controls it (characters); monsters belong to the GM. */
  ownerUserId: string | null;
  characterId: string | null;
  initiative: number;
  initiativeBonus: number;
  tiebreak: number;
  hp: HitPoints | null;
  armorClass: number | null;
  conditions: ActiveCondition[];
  used: { action: boolean; bonus: boolean; reaction: boolean; movement: number };
  delayed: boolean;
  /** A monster's printed numbers, for rolls from the tracker (GM only; never shown to players). */
  stats?: StatBlock | null;
  /** Set on every member of a group that shares one initiative roll. */
  group?: string | null;
  /** A readied action (the Ready action): what triggers it; spent with the reaction when it fires. */
  readied?: { trigger: string } | null;
}

export interface Encounter {
  active: boolean;
  round: number;
  /** Id of the combatant whose turn it is. */
  currentId: string | null;
  combatants: Combatant[];
}

export class CombatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CombatError';
  }
}

export const emptyEncounter = (): Encounter => ({ active: false, round: 0, currentId: null, combatants: [] });

const freshTurn = () => ({ action: false, bonus: false, reaction: false, movement: 0 });

/** Sorts by initiative, then bonus, then tiebreak (all descending). */
export function turnOrder(combatants: Combatant[]): Combatant[] {
  return [...combatants]
    .filter((c) => !c.delayed)
    .sort((a, b) => b.initiative - a.initiative || b.initiativeBonus - a.initiativeBonus || b.tiebreak - a.tiebreak);
}

export function findCombatant(e: Encounter, id: string): Combatant {
  const c = e.combatants.find((x) => x.id === id);
  if (!c) throw new CombatError('No such combatant');
  return c;
}

function replace(e: Encounter, updated: Combatant): Encounter {
  return { ...e, combatants: e.combatants.map((c) => (c.id === updated.id ? updated : c)) };
}

export type NewCombatant = Omit<Combatant, 'conditions' | 'used' | 'delayed'> & Partial<Pick<Combatant, 'conditions'>>;

export function addCombatant(e: Encounter, input: NewCombatant): Encounter {
  if (e.combatants.some((c) => c.id === input.id)) throw new CombatError('That combatant is already in the fight');
  if (e.combatants.length >= 100) throw new CombatError('At most 100 combatants');
  return { ...e, combatants: [...e.combatants, { ...input, conditions: input.conditions ?? [], used: freshTurn(), delayed: false }] };
}

export function removeCombatant(e: Encounter, id: string): Encounter {
  findCombatant(e, id);
  let next = e;
  if (e.currentId === id) next = nextTurn(e);
  return { ...next, combatants: next.combatants.filter((c) => c.id !== id), currentId: next.currentId === id ? null : next.currentId };
}

export function startEncounter(e: Encounter): Encounter {
  if (e.active) throw new CombatError('Combat has already started');
  const order = turnOrder(e.combatants);
  if (order.length === 0) throw new CombatError('Add combatants before starting combat');
  return { ...e, active: true, round: 1, currentId: order[0]!.id, combatants: e.combatants.map((c) => ({ ...c, used: freshTurn() })) };
}

/** Conditions with a round duration lose one round at the end of their bearer's turn and expire at zero. */
function tickConditions(c: Combatant): { combatant: Combatant; expired: string[] } {
  const expired: string[] = [];
  const conditions = c.conditions.flatMap((cond) => {
    if (cond.duration.kind !== 'rounds') return [cond];
    const remaining = (cond.remaining ?? cond.duration.rounds) - 1;
    if (remaining <= 0) {
      expired.push(cond.name);
      return [];
    }
    return [{ ...cond, remaining }];
  });
  return { combatant: { ...c, conditions }, expired };
}

export interface TurnChange {
  encounter: Encounter;
  expired: { combatantId: string; conditions: string[] }[];
  newRound: boolean;
}

/** Ends the current turn and starts the next one (a new round after the last). */
export function advanceTurn(e: Encounter): TurnChange {
  if (!e.active || !e.currentId) throw new CombatError('Combat has not started');
  const ending = tickConditions(findCombatant(e, e.currentId));
  let next = replace(e, ending.combatant);
  const order = turnOrder(next.combatants);
  const index = order.findIndex((c) => c.id === e.currentId);
  const wraps = index === -1 || index + 1 >= order.length;
  const upcoming = wraps ? order[0] : order[index + 1];
  if (!upcoming) throw new CombatError('Nobody is left in the initiative order');
  // A readied action not taken by the start of the next turn is lost.
  next = replace({ ...next, currentId: upcoming.id, round: wraps ? e.round + 1 : e.round }, { ...upcoming, used: freshTurn(), readied: null });
  return { encounter: next, expired: ending.expired.length ? [{ combatantId: e.currentId, conditions: ending.expired }] : [], newRound: wraps };
}

export const nextTurn = (e: Encounter): Encounter => advanceTurn(e).encounter;

/** The current combatant holds its turn: it leaves the order until `undelay`. */
export function delayTurn(e: Encounter, id: string): Encounter {
  if (e.currentId !== id) throw new CombatError('Only the combatant whose turn it is can delay');
  const after = nextTurn(e);
  if (after.currentId === id) throw new CombatError('Nobody else can act; delaying would skip the round');
  return replace(after, { ...findCombatant(after, id), delayed: true });
}

/** A delayed combatant acts now: it takes the place just before the current combatant, and its turn starts. */
export function undelay(e: Encounter, id: string): Encounter {
  const c = findCombatant(e, id);
  if (!c.delayed) throw new CombatError('That combatant is not delaying');
  const current = e.currentId ? findCombatant(e, e.currentId) : null;
  if (!current) return { ...replace(e, { ...c, delayed: false, used: freshTurn() }), currentId: id };
  // Same initiative and bonus as the current combatant, with a tiebreak between it and whoever acts just before it.
  const order = turnOrder(e.combatants);
  const before = order[order.findIndex((x) => x.id === current.id) - 1];
  const sameSlot = before && before.initiative === current.initiative && before.initiativeBonus === current.initiativeBonus;
  const tiebreak = sameSlot ? (before.tiebreak + current.tiebreak) / 2 : current.tiebreak + 1;
  const placed = { ...c, delayed: false, initiative: current.initiative, initiativeBonus: current.initiativeBonus, tiebreak, used: freshTurn() };
  return { ...replace(e, placed), currentId: id };
}

/** The Ready action: the current combatant uses its action now to act on a trigger before its next turn. */
export function readyAction(e: Encounter, id: string, trigger: string): Encounter {
  if (e.currentId !== id) throw new CombatError('Only the combatant whose turn it is can ready an action');
  const c = findCombatant(e, id);
  if (c.used.action) throw new CombatError('The action is already used this turn');
  return replace(e, { ...c, used: { ...c.used, action: true }, readied: { trigger } });
}

/** The trigger happened: the readied action fires, spending the reaction (SRD: Ready). */
export function triggerReadied(e: Encounter, id: string): Encounter {
  const c = findCombatant(e, id);
  if (!c.readied) throw new CombatError(`${c.name} has no readied action`);
  if (c.used.reaction) throw new CombatError(`${c.name} has already used its reaction`);
  return replace(e, { ...c, readied: null, used: { ...c.used, reaction: true } });
}

export function endEncounter(e: Encounter): Encounter {
  if (!e.active) throw new CombatError('Combat is not running');
  return emptyEncounter();
}

export function useResource(e: Encounter, id: string, resource: TurnResource, feet = 0): Encounter {
  const c = findCombatant(e, id);
  if (resource === 'movement') {
    if (feet <= 0) throw new CombatError('Say how many feet were moved');
    return replace(e, { ...c, used: { ...c.used, movement: c.used.movement + feet } });
  }
  if (c.used[resource]) throw new CombatError(`The ${resource === 'bonus' ? 'bonus action' : resource} is already used this turn`);
  return replace(e, { ...c, used: { ...c.used, [resource]: true } });
}

export function changeHitPoints(e: Encounter, id: string, change: { damage?: number; healing?: number; temp?: number }): Encounter {
  const c = findCombatant(e, id);
  if (!c.hp) throw new CombatError(`${c.name} has no hit points tracked`);
  let hp = c.hp;
  if (change.damage) hp = applyDamage(hp, change.damage);
  if (change.healing) hp = applyHealing(hp, change.healing);
  if (change.temp) hp = grantTemporary(hp, change.temp);
  return replace(e, { ...c, hp });
}

export function addCondition(e: Encounter, id: string, name: string, duration: ConditionDuration): Encounter {
  const c = findCombatant(e, id);
  const rest = c.conditions.filter((x) => x.name.toLowerCase() !== name.toLowerCase());
  const condition: ActiveCondition = { name, duration, ...(duration.kind === 'rounds' ? { remaining: duration.rounds } : {}) };
  return replace(e, { ...c, conditions: [...rest, condition] });
}

export function removeCondition(e: Encounter, id: string, name: string): Encounter {
  const c = findCombatant(e, id);
  const conditions = c.conditions.filter((x) => x.name.toLowerCase() !== name.toLowerCase());
  if (conditions.length === c.conditions.length) throw new CombatError(`${c.name} is not ${name}`);
  return replace(e, { ...c, conditions });
}
