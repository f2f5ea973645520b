/**
 * Who sees which event, and what they see of it. Applied to live broadcasts,
 * replays, snapshots and the HTTP history alike, so there is one rule.
 */
import { sql, type SQL } from 'drizzle-orm';
import { sessionEvents } from '../db/schema';
import { healthBand } from '../game/hit-points';
import type { Encounter } from '../game/initiative';
import type { Viewer } from '../game/roles';
import type { SessionEvent } from './protocol';

export type { Viewer } from '../game/roles';

export function canSee(event: Pick<SessionEvent, 'audience' | 'recipients' | 'actor'>, viewer: Viewer): boolean {
  if (event.audience === 'all') return true;
  if (event.audience === 'gm') return viewer.role === 'gm' || event.actor?.userId === viewer.userId;
  return (event.recipients ?? []).includes(viewer.userId);
}

/**
 * `canSee` for the room's own `restricted` table (events whose audience is not
 * everyone), as a condition and its parameters for the Durable Object's SQLite.
 * Keep it in step with `canSee`.
 */
export function restrictedVisibleSql(viewer: Viewer): { where: string; params: string[] } {
  const mine = 'EXISTS (SELECT 1 FROM json_each(recipients) WHERE value = ?)';
  return viewer.role === 'gm'
    ? { where: `(audience = 'gm' OR (audience = 'private' AND ${mine}))`, params: [viewer.userId] }
    : { where: `((audience = 'gm' AND actor_user_id = ?) OR (audience = 'private' AND ${mine}))`, params: [viewer.userId, viewer.userId] };
}

/** `canSee` as a SQL condition over `session_events`, for the history read from D1. Keep the two in step. */
export function visibleEventsSql(viewer: Viewer): SQL {
  const mine = sql`exists (select 1 from json_each(${sessionEvents.recipients}) where value = ${viewer.userId})`;
  return viewer.role === 'gm'
    ? sql`(${sessionEvents.audience} in ('all', 'gm') or ${mine})`
    : sql`(${sessionEvents.audience} = 'all' or (${sessionEvents.audience} = 'gm' and ${sessionEvents.actorUserId} = ${viewer.userId}) or ${mine})`;
}

/** Players see monsters' health as a band, never their numbers, armour class or stat block. */
export function redactEncounter(encounter: Encounter, viewer: Viewer): Encounter {
  if (viewer.role === 'gm') return encounter;
  return {
    ...encounter,
    combatants: encounter.combatants.map((c) => {
      if (c.kind !== 'monster') return c;
      return { ...c, hp: null, armorClass: null, stats: null, health: c.hp ? healthBand(c.hp, 'monster') : null };
    }),
  };
}

/** What a blind roll shows its own (non-GM) roller: that it happened, not how it went. */
const BLIND_FIELDS = { total: null, successes: null, groups: [], damage: null, critical: null, fumble: null, text: 'Blind roll: only the GM sees the result' };

/**
 * The event as `viewer` receives it, or null when it is not theirs to see.
 * Besides the audience: monsters' numbers are hidden from players, a blind
 * roll's result from its roller, and a message the GM removed keeps only
 * who removed it and when (the GM still sees the words).
 */
export function viewFor(event: SessionEvent, viewer: Viewer): SessionEvent | null {
  if (!canSee(event, viewer)) return null;
  const gm = viewer.role === 'gm';
  if (event.type === 'initiative' && event.encounter) {
    return gm ? event : { ...event, encounter: redactEncounter(event.encounter as Encounter, viewer) };
  }
  if (event.type === 'roll' && event.visibility === 'blind' && !gm) return { ...event, ...BLIND_FIELDS };
  if (event.removed && !gm) return { ...event, text: null, expression: undefined, groups: undefined, total: undefined, character: undefined };
  return event;
}
