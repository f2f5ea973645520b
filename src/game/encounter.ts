/**
 * Encounter building by the 5e rules of thumb: each character's XP
 * thresholds by level (easy, medium, hard, deadly), monsters' XP by
 * challenge rating, and the multiplier for fighting several at once
 * (stepped up for a party of one or two, down for six or more). Pure: the
 * random source is passed in, and the server — never a model — says how hard
 * an encounter is.
 */
import { z } from 'zod';
import type { Rng } from './dice';

export const DIFFICULTIES = ['easy', 'medium', 'hard', 'deadly'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];
export type Rating = Difficulty | 'trivial';

/** XP thresholds per character, levels 1–20: [easy, medium, hard, deadly]. */
const THRESHOLDS: readonly (readonly [number, number, number, number])[] = [
  [25, 50, 75, 100], [50, 100, 150, 200], [75, 150, 225, 400], [125, 250, 375, 500], [250, 500, 750, 1100],
  [300, 600, 900, 1400], [350, 750, 1100, 1700], [450, 900, 1400, 2100], [550, 1100, 1600, 2400], [600, 1200, 1900, 2800],
  [800, 1600, 2400, 3600], [1000, 2000, 3000, 4500], [1100, 2200, 3400, 5100], [1250, 2500, 3800, 5700], [1400, 2800, 4300, 6400],
  [1600, 3200, 4800, 7200], [2000, 3900, 5900, 8800], [2100, 4200, 6300, 9500], [2400, 4900, 7300, 10900], [2800, 5700, 8500, 12700],
];

/** XP by challenge rating (used when a stat block does not print its XP). */
export const XP_BY_CR: Readonly<Record<string, number>> = {
  '0': 10, '1/8': 25, '1/4': 50, '1/2': 100, '1': 200, '2': 450, '3': 700, '4': 1100, '5': 1800, '6': 2300, '7': 2900, '8': 3900,
  '9': 5000, '10': 5900, '11': 7200, '12': 8400, '13': 10000, '14': 11500, '15': 13000, '16': 15000, '17': 18000, '18': 20000,
  '19': 22000, '20': 25000, '21': 33000, '22': 41000, '23': 50000, '24': 62000, '25': 75000, '26': 90000, '27': 105000,
  '28': 120000, '29': 135000, '30': 155000,
};

/** A challenge rating as the doors accept it: 0, 1/8, 1/4, 1/2 or 1–30 (the keys of XP_BY_CR). */
export const ChallengeRatingSchema = z.string().trim().regex(/^(0|1\/8|1\/4|1\/2|[1-9]|[12][0-9]|30)$/, 'A challenge rating: 0, 1/8, 1/4, 1/2 or 1–30');

/** A challenge rating as a number ("1/4" → 0.25), or null when it is not one. */
export function crValue(cr: string): number | null {
  const t = cr.trim();
  if (!(t in XP_BY_CR)) return null;
  const [a, b] = t.split('/');
  return b ? Number(a) / Number(b) : Number(a);
}

export interface PartyThresholds { easy: number; medium: number; hard: number; deadly: number }

export function partyThresholds(levels: readonly number[]): PartyThresholds {
  const sum = (i: number) => levels.reduce((total, level) => total + THRESHOLDS[Math.min(20, Math.max(1, Math.round(level))) - 1]![i]!, 0);
  return { easy: sum(0), medium: sum(1), hard: sum(2), deadly: sum(3) };
}

const STEPS = [0.5, 1, 1.5, 2, 2.5, 3, 4, 5];

/** The multiplier for `count` monsters against a party of `partySize`. */
export function multiplierFor(count: number, partySize: number): number {
  if (count <= 0) return 1;
  const base = count === 1 ? 1 : count === 2 ? 2 : count <= 6 ? 3 : count <= 10 ? 4 : count <= 14 ? 5 : 6;
  const shift = partySize < 3 ? 1 : partySize >= 6 ? -1 : 0;
  return STEPS[base + shift]!;
}

export interface Rated { rawXp: number; adjustedXp: number; multiplier: number; rating: Rating; thresholds: PartyThresholds }

/** How hard `monsters` (each with its XP and count) are for a party of `levels`. */
export function rateEncounter(levels: readonly number[], monsters: readonly { xp: number; count: number }[]): Rated {
  const thresholds = partyThresholds(levels);
  const count = monsters.reduce((n, m) => n + m.count, 0);
  const rawXp = monsters.reduce((n, m) => n + m.xp * m.count, 0);
  const multiplier = multiplierFor(count, levels.length);
  const adjustedXp = Math.round(rawXp * multiplier);
  const rating: Rating = adjustedXp >= thresholds.deadly ? 'deadly' : adjustedXp >= thresholds.hard ? 'hard' : adjustedXp >= thresholds.medium ? 'medium' : adjustedXp >= thresholds.easy ? 'easy' : 'trivial';
  return { rawXp, adjustedXp, multiplier, rating, thresholds };
}

export interface Candidate { name: string; xp: number; cr: string }
export interface Pick<M extends Candidate> { monster: M; count: number }

const MAX_COUNT = 8;
const SAMPLE = 30;

function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.die(i + 1) - 1;
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Monsters for a party of `levels` at `difficulty`: one kind in a group (1–8),
 * or a leader with a group of a weaker kind, whose adjusted XP lands in the
 * difficulty's band (from its threshold up to the next; deadly up to 1.5×).
 * Null when no mix of the candidates fits.
 */
export function buildEncounter<M extends Candidate>(levels: readonly number[], difficulty: Difficulty, candidates: readonly M[], rng: Rng): { picks: Pick<M>[]; rated: Rated } | null {
  const thresholds = partyThresholds(levels);
  const low = thresholds[difficulty];
  const next = DIFFICULTIES[DIFFICULTIES.indexOf(difficulty) + 1];
  const high = next ? thresholds[next] : Math.round(thresholds.deadly * 1.5);
  const fits = (picks: Pick<M>[]) => {
    const rated = rateEncounter(levels, picks.map((p) => ({ xp: p.monster.xp, count: p.count })));
    return rated.adjustedXp >= low && rated.adjustedXp < high ? rated : null;
  };
  const options: { picks: Pick<M>[]; rated: Rated }[] = [];
  const pool = shuffled(candidates.filter((c) => c.xp > 0), rng);
  for (const monster of pool) {
    for (let count = 1; count <= MAX_COUNT; count++) {
      const picks = [{ monster, count }];
      const rated = fits(picks);
      if (rated) options.push({ picks, rated });
    }
  }
  const leaders = pool.slice(0, SAMPLE);
  const minions = shuffled(pool, rng).slice(0, SAMPLE);
  for (const leader of leaders) {
    for (const minion of minions) {
      if (minion.xp >= leader.xp) continue;
      for (let count = 2; count <= MAX_COUNT - 1; count++) {
        const picks = [{ monster: leader, count: 1 }, { monster: minion, count }];
        const rated = fits(picks);
        if (rated) options.push({ picks, rated });
      }
    }
  }
  return options.length ? options[rng.die(options.length) - 1]! : null;
}
