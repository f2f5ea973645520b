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

/** `canSee` as a SQL condition over `session_events`, for the history read from D1. Keep the two in step. */
export function visibleEventsSql(viewer: Viewer): SQL {
  const mine = sql`exists (select 1 from json_each(${sessionEvents.recipients}) where value = ${viewer.userId})`;
  return viewer.role === 'gm'
    ? sql`(${sessionEvents.audience} in ('all', 'gm') or ${mine})`
    : sql`(${sessionEvents.audience} = 'all' or (${sessionEvents.audience} = 'gm' and ${sessionEvents.actorUserId} = ${viewer.userId}) or ${mine})`;
}

/** Players see monsters' health as a band, never their numbers or armour class. */
export function redactEncounter(encounter: Encounter, viewer: Viewer): Encounter {
  if (viewer.role === 'gm') return encounter;
  return {
    ...encounter,
    combatants: encounter.combatants.map((c) => {
      if (c.kind !== 'monster') return c;
      return { ...c, hp: null, armorClass: null, health: c.hp ? healthBand(c.hp, 'monster') : null };
    }),
  };
}

/** The event as `viewer` receives it, or null when it is not theirs to see. */
export function viewFor(event: SessionEvent, viewer: Viewer): SessionEvent | null {
  if (!canSee(event, viewer)) return null;
  if (event.type === 'initiative' && event.encounter) {
    return { ...event, encounter: redactEncounter(event.encounter as Encounter, viewer) };
  }
  return event;
}
