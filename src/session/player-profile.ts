/**
 * What the narrator keeps about a player, from their own actions at the table
 * (pure; the service feeds it the logged events): what they spend their turns
 * on — fighting, talking, exploring, puzzling — how often their rolls fail,
 * and the checks they keep failing (a streak of three on the same check is a
 * cue for the narrator to offer a hint). The player sees it and can reset it;
 * the GM sees it.
 */
import type { SessionEvent } from './protocol';

export const INTERESTS = ['combat', 'talk', 'exploration', 'puzzles'] as const;
export type Interest = (typeof INTERESTS)[number];

const EXPLORATION = /perception|investigation|survival|stealth|nature|athletics|acrobatics/i;
const PUZZLES = /arcana|history|religion|intelligence|investigation/i;
/** Failed attempts at one check in a row that make a hint worth offering. */
export const HINT_STREAK = 3;

export interface PlayerProfile {
  actions: number;
  interests: Record<Interest, number>;
  /** Share of rolls against a DC that failed. */
  failureRate: number | null;
  /** Checks failed HINT_STREAK or more times in a row, with the latest count. */
  stuck: { check: string; times: number }[];
}

const interestOf = (e: SessionEvent): Interest | null => {
  if (e.type === 'chat' && e.mode === 'ic') return 'talk';
  if (e.type === 'initiative' || (e.type === 'roll' && (e.check as { kind?: string } | null)?.kind === 'attack')) return 'combat';
  if (e.type === 'roll') {
    const label = String((e.check as { label?: string } | null)?.label ?? e.label ?? '');
    if (PUZZLES.test(label)) return 'puzzles';
    if (EXPLORATION.test(label)) return 'exploration';
  }
  return null;
};

/** The profile of `userId` from events (oldest first). */
export function playerProfile(events: SessionEvent[], userId: string): PlayerProfile {
  const interests: Record<Interest, number> = { combat: 0, talk: 0, exploration: 0, puzzles: 0 };
  let actions = 0, tested = 0, failed = 0;
  const streaks = new Map<string, number>();
  for (const e of events) {
    if (e.actor?.userId !== userId) continue;
    actions++;
    const interest = interestOf(e);
    if (interest) interests[interest]++;
    if (e.type === 'roll' && typeof e.success === 'boolean') {
      tested++;
      const check = String((e.check as { label?: string } | null)?.label ?? e.expression ?? 'a roll');
      if (e.success) streaks.set(check, 0);
      else { failed++; streaks.set(check, (streaks.get(check) ?? 0) + 1); }
    }
  }
  return {
    actions, interests, failureRate: tested ? Math.round((failed / tested) * 100) / 100 : null,
    stuck: [...streaks].filter(([, n]) => n >= HINT_STREAK).map(([check, times]) => ({ check, times })),
  };
}

/** One line for the narrator: what the player enjoys, and where they are stuck. Null when there is nothing to say. */
export function profileNote(name: string, profile: PlayerProfile): string | null {
  const total = INTERESTS.reduce((n, i) => n + profile.interests[i], 0);
  const liked = total ? INTERESTS.filter((i) => profile.interests[i] / total >= 0.3).map((i) => `${i} (${Math.round((profile.interests[i] / total) * 100)}%)`) : [];
  const parts = [
    ...(liked.length ? [`enjoys ${liked.join(', ')}`] : []),
    ...profile.stuck.map((s) => `has failed ${s.check} ${s.times} times in a row: offer a hint in the fiction`),
  ];
  return parts.length ? `${name}: ${parts.join('; ')}` : null;
}
