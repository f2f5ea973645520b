/**
 * Hit-point arithmetic: damage eats temporary HP first, healing never passes
 * the maximum, temporary HP do not stack (the higher value stays).
 *
 * @example
 * applyDamage({ current: 10, max: 12, temp: 3 }, 5); // { current: 8, max: 12, temp: 0 }
 */
export interface HitPoints {
  current: number;
  max: number;
  temp: number;
}

export function applyDamage(hp: HitPoints, amount: number): HitPoints {
  const damage = Math.max(0, Math.floor(amount));
  const absorbed = Math.min(hp.temp, damage);
  return { ...hp, temp: hp.temp - absorbed, current: hp.current - (damage - absorbed) };
}

export function applyHealing(hp: HitPoints, amount: number): HitPoints {
  const healing = Math.max(0, Math.floor(amount));
  return { ...hp, current: Math.min(hp.max, Math.max(0, hp.current) + healing) };
}

export function grantTemporary(hp: HitPoints, amount: number): HitPoints {
  return { ...hp, temp: Math.max(hp.temp, Math.max(0, Math.floor(amount))) };
}

export type HealthBand = 'healthy' | 'injured' | 'bloodied' | 'unconscious' | 'dead';

/**
 * What players see of a monster's health: a band, never the numbers.
 * Monsters die at 0; characters fall unconscious and die at −max (massive damage).
 */
export function healthBand(hp: HitPoints, kind: 'character' | 'monster'): HealthBand {
  if (hp.current <= 0) return kind === 'monster' || hp.current <= -hp.max ? 'dead' : 'unconscious';
  if (hp.current >= hp.max) return 'healthy';
  return hp.current * 2 <= hp.max ? 'bloodied' : 'injured';
}
