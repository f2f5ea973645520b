/**
 * Attack and damage helpers for d20 systems: natural 20 always hits and is a
 * critical, natural 1 always misses, advantage rolls two d20 and keeps the
 * higher; a critical hit doubles the damage dice but not the modifier.
 *
 * @example
 * const attack = attackRoll({ bonus: 5, targetAc: 15, mode: 'advantage' }, rng);
 * if (attack.hit) damageRoll('1d8+3', rng, attack.critical);
 */
import { roll, type RollResult, type Rng } from './dice';

export type RollMode = 'normal' | 'advantage' | 'disadvantage';

export interface AttackResult {
  d20s: number[];
  natural: number;
  total: number;
  hit: boolean;
  critical: boolean;
  fumble: boolean;
}

export function attackRoll(input: { bonus: number; targetAc: number; mode?: RollMode; criticalOn?: number }, rng: Rng): AttackResult {
  const mode = input.mode ?? 'normal';
  const d20s = mode === 'normal' ? [rng.die(20)] : [rng.die(20), rng.die(20)];
  const natural = mode === 'advantage' ? Math.max(...d20s) : mode === 'disadvantage' ? Math.min(...d20s) : d20s[0]!;
  const total = natural + input.bonus;
  const critical = natural >= (input.criticalOn ?? 20);
  const fumble = natural === 1;
  const hit = !fumble && (critical || total >= input.targetAc);
  return { d20s, natural, total, hit, critical: critical && hit, fumble };
}

export function damageRoll(expression: string, rng: Rng, critical = false): RollResult {
  return roll(expression, rng, { critical });
}
